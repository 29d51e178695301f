import { formatNumber } from '../../i18n';
import { FONT, GRID, INK, linear, niceTicks, useWidth } from './scale';

export interface DumbbellSeries {
  id: string;
  name: string;
  color: string;
}

export interface DumbbellRow {
  label: string;
  /** Per series id: the value before (hollow dot) and after (filled dot). */
  values: Record<string, { from: number; to: number }>;
  highlight?: boolean;
}

interface Props {
  rows: DumbbellRow[];
  series: DumbbellSeries[];
  xLabel: string;
  fromLabel: string;
  toLabel: string;
  summary: string;
}

const ROW = 26;
const M = { top: 8, right: 16, bottom: 40, left: 96 };

/** Per row, each series moves from a hollow dot to a filled one: e.g. paper share → with e-voting. */
export function DumbbellChart({ rows, series, xLabel, fromLabel, toLabel, summary }: Props) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const legendRows = Math.ceil((series.length + 2) / (width < 480 ? 2 : 4));
  const legendHeight = legendRows * 18 + 8;
  const height = M.top + legendHeight + rows.length * ROW + M.bottom;
  const all = rows.flatMap((r) => Object.values(r.values).flatMap((v) => [v.from, v.to]));
  const ticks = niceTicks(Math.max(10, ...all), width < 420 ? 4 : 6);
  const x = linear(0, ticks[ticks.length - 1], M.left, width - M.right);
  const top = M.top + legendHeight;
  const perLine = width < 480 ? 2 : 4;
  const legend = [
    ...series.map((s) => ({ text: s.name, color: s.color, hollow: false })),
    { text: fromLabel, color: INK, hollow: true },
    { text: toLabel, color: INK, hollow: false },
  ];
  const colW = (width - 16) / perLine;
  const maxChars = Math.max(6, Math.floor((colW - 22) / 7));

  return (
    <div ref={ref}>
      <svg width={width} height={height} role="img" aria-label={summary} font-family={FONT} font-size="12">
        {legend.map((l, i) => (
          <g
            key={l.text}
            transform={`translate(${8 + (i % perLine) * colW} ${M.top + Math.floor(i / perLine) * 18 + 8})`}
          >
            <circle r="5" cx="5" cy="0" fill={l.hollow ? '#ffffff' : l.color} stroke={l.color} stroke-width="2" />
            <text x="14" dy="0.32em" fill={INK}>
              {l.text.length > maxChars ? `${l.text.slice(0, maxChars - 1)}…` : l.text}
            </text>
          </g>
        ))}
        {rows.map((r, i) =>
          r.highlight ? (
            <rect key={`h${r.label}`} x={0} y={top + i * ROW} width={width} height={ROW} fill="#fff3cd" />
          ) : null,
        )}
        {ticks.map((v) => (
          <g key={v}>
            <line x1={x(v)} x2={x(v)} y1={top} y2={top + rows.length * ROW} stroke={GRID} />
            <text x={x(v)} y={top + rows.length * ROW + 16} text-anchor="middle" fill={INK}>
              {formatNumber(v)}
            </text>
          </g>
        ))}
        {rows.map((r, i) => {
          const cy = top + i * ROW + ROW / 2;
          return (
            <g key={r.label}>
              <text
                x={M.left - 8}
                y={cy}
                dy="0.32em"
                text-anchor="end"
                fill={INK}
                font-weight={r.highlight ? '700' : '400'}
              >
                {r.label}
              </text>
              {series.map((s) => {
                const v = r.values[s.id];
                if (!v) return null;
                return (
                  <g key={s.id}>
                    <line x1={x(v.from)} x2={x(v.to)} y1={cy} y2={cy} stroke={s.color} stroke-width="2" />
                    <circle cx={x(v.from)} cy={cy} r="5" fill="#ffffff" stroke={s.color} stroke-width="2" />
                    <circle cx={x(v.to)} cy={cy} r="5" fill={s.color}>
                      <title>{`${s.name}: ${formatNumber(v.from, 2)} → ${formatNumber(v.to, 2)}`}</title>
                    </circle>
                  </g>
                );
              })}
            </g>
          );
        })}
        <text x={(M.left + width - M.right) / 2} y={height - 6} text-anchor="middle" fill={INK} font-weight="600">
          {xLabel}
        </text>
      </svg>
    </div>
  );
}
