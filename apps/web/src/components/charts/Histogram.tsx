import { formatNumber } from '../../i18n';
import type { HistogramBin } from '../../types';
import { BAR, FONT, GRID, INK, linear, niceTicks, useWidth } from './scale';

interface Props {
  bins: HistogramBin[];
  xLabel: string;
  yLabel: string;
  /** Screen-reader summary of what the chart shows. */
  summary: string;
}

const M = { top: 12, right: 12, bottom: 44, left: 56 };

/** Counts per percentage bin; `pct` is the bin's lower edge, bins are as wide as their spacing. */
export function Histogram({ bins, xLabel, yLabel, summary }: Props) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const height = Math.round(Math.min(360, Math.max(220, width * 0.55)));
  const sorted = [...bins].sort((a, b) => a.pct - b.pct);
  const step = sorted.length > 1 ? Math.min(...sorted.slice(1).map((b, i) => b.pct - sorted[i].pct)) || 1 : 1;
  const xMax = Math.max(100, ...sorted.map((b) => b.pct + step));
  const yTicks = niceTicks(Math.max(1, ...sorted.map((b) => b.count)));
  const x = linear(0, xMax, M.left, width - M.right);
  const y = linear(0, yTicks[yTicks.length - 1], height - M.bottom, M.top);
  // Ticks from the round end of the axis (100 %, not the edge of the 100 % bin).
  const xTicks = niceTicks(Math.floor(xMax / 10) * 10 || xMax, width < 420 ? 4 : 10).filter((v) => v <= xMax);

  return (
    <div ref={ref}>
      <svg width={width} height={height} role="img" aria-label={summary} font-family={FONT} font-size="12">
        {yTicks.map((v) => (
          <g key={`y${v}`}>
            <line x1={M.left} x2={width - M.right} y1={y(v)} y2={y(v)} stroke={GRID} stroke-width="1" />
            <text x={M.left - 6} y={y(v)} dy="0.32em" text-anchor="end" fill={INK}>
              {formatNumber(v)}
            </text>
          </g>
        ))}
        {sorted.map((b) => (
          <rect
            key={b.pct}
            x={x(b.pct)}
            width={Math.max(1, x(b.pct + step) - x(b.pct) - 0.5)}
            y={y(b.count)}
            height={Math.max(0, y(0) - y(b.count))}
            fill={BAR}
          >
            <title>{`${formatNumber(b.pct, step < 1 ? 1 : 0)}–${formatNumber(b.pct + step, step < 1 ? 1 : 0)} %: ${formatNumber(b.count)}`}</title>
          </rect>
        ))}
        <line x1={M.left} x2={width - M.right} y1={y(0)} y2={y(0)} stroke={INK} stroke-width="1" />
        {xTicks.map((v) => (
          <text key={`x${v}`} x={x(v)} y={height - M.bottom + 16} text-anchor="middle" fill={INK}>
            {formatNumber(v)}
          </text>
        ))}
        <text x={(M.left + width - M.right) / 2} y={height - 6} text-anchor="middle" fill={INK} font-weight="600">
          {xLabel}
        </text>
        <text
          transform={`translate(14 ${(M.top + height - M.bottom) / 2}) rotate(-90)`}
          text-anchor="middle"
          fill={INK}
          font-weight="600"
        >
          {yLabel}
        </text>
      </svg>
    </div>
  );
}
