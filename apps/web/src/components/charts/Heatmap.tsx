import { formatNumber } from '../../i18n';
import { FONT, INK, linear, niceTicks, useWidth } from './scale';

interface Props {
  /** A bin count per axis, or the bins' lower edges in percent. */
  bins: number | number[];
  /** `cells[i][j]`: precincts with turnout in bin i (x axis) and leader share in bin j (y axis). */
  cells: number[][];
  xLabel: string;
  yLabel: string;
  summary: string;
  /** What a cell counts, shown beside the colour scale, e.g. "precincts per cell". */
  legendLabel?: string;
}

const M = { top: 12, right: 16, bottom: 44, left: 52 };

function shade(v: number, max: number): string {
  if (v <= 0) return '#ffffff';
  // Logarithmic: a few precincts stay visible next to thousands.
  const k = Math.log1p(v) / Math.log1p(max);
  const l = Math.round(95 - k * 70);
  return `hsl(220 80% ${l}%)`;
}

/** Two-dimensional histogram of turnout against the leader's share (both in percent). */
export function Heatmap({ bins, cells, xLabel, yLabel, summary, legendLabel }: Props) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const nx = cells.length;
  const ny = Math.max(0, ...cells.map((c) => c.length));
  const edges = Array.isArray(bins) ? bins : null;
  const size = Math.min(width - M.left - M.right, 480);
  const height = size + M.top + M.bottom;
  const max = Math.max(1, ...cells.flat());
  const x = linear(0, 100, M.left, M.left + size);
  const y = linear(0, 100, M.top + size, M.top);
  const edge = (i: number, n: number) => (edges && edges[i] !== undefined ? edges[i] : (100 * i) / n);
  const ticks = niceTicks(100, width < 420 ? 4 : 5);

  return (
    <div ref={ref}>
      <svg
        width={M.left + size + M.right}
        height={height}
        role="img"
        aria-label={summary}
        font-family={FONT}
        font-size="12"
      >
        <rect x={M.left} y={M.top} width={size} height={size} fill="#ffffff" stroke={INK} stroke-width="1" />
        {cells.map((col, i) =>
          col.map((v, j) =>
            v > 0 ? (
              <rect
                key={`${i}-${j}`}
                x={x(edge(i, nx))}
                y={y(edge(j + 1, ny))}
                width={Math.max(0.5, x(edge(i + 1, nx)) - x(edge(i, nx)))}
                height={Math.max(0.5, y(edge(j, ny)) - y(edge(j + 1, ny)))}
                fill={shade(v, max)}
              >
                <title>{formatNumber(v)}</title>
              </rect>
            ) : null,
          ),
        )}
        {ticks.map((v) => (
          <g key={v}>
            <text x={x(v)} y={M.top + size + 16} text-anchor="middle" fill={INK}>
              {v}
            </text>
            <text x={M.left - 6} y={y(v)} dy="0.32em" text-anchor="end" fill={INK}>
              {v}
            </text>
          </g>
        ))}
        <text x={M.left + size / 2} y={height - 6} text-anchor="middle" fill={INK} font-weight="600">
          {xLabel}
        </text>
        <text
          transform={`translate(14 ${M.top + size / 2}) rotate(-90)`}
          text-anchor="middle"
          fill={INK}
          font-weight="600"
        >
          {yLabel}
        </text>
      </svg>
      <p class="hint heatmap-legend">
        {[1, Math.round(Math.sqrt(max)), max]
          .filter((v, i, a) => a.indexOf(v) === i)
          .map((v) => (
            <span key={v} style={{ display: 'inline-flex', alignItems: 'center', gap: '4px', marginRight: '12px' }}>
              <span
                aria-hidden="true"
                style={{
                  display: 'inline-block',
                  width: '14px',
                  height: '14px',
                  background: shade(v, max),
                  border: '1px solid #d0d4da',
                }}
              />
              {formatNumber(v)}
            </span>
          ))}
        {legendLabel ?? ''}
      </p>
    </div>
  );
}
