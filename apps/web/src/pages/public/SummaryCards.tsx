import { formatNumber, useT, type MessageKey } from '../../i18n';
import { MATCH_STATUSES, type Summary } from '../../types';

/** Precinct counts per status, and the summed deltas of the lines that differ most. */
export function SummaryCards({ summary, labelOf }: { summary: Summary; labelOf: (n: number, key: string) => string }) {
  const t = useT();
  const lines = summary.lines
    .filter((l) => l.delta !== 0)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
    .slice(0, 6);
  return (
    <section class="stack-sm" aria-labelledby="summary-title">
      <h2 id="summary-title">{t('results.summary')}</h2>
      <ul class="counts">
        {MATCH_STATUSES.map((s) => (
          <li key={s} class={`count count-${s}`}>
            <span class="count-n">{formatNumber(summary.counts[s] ?? 0)}</span>
            <span class="count-label">{t(`status.${s}` as MessageKey)}</span>
          </li>
        ))}
      </ul>
      {lines.length > 0 && (
        <details>
          <summary>{t('results.summaryLines')}</summary>
          <ul class="plain">
            {lines.map((l) => (
              <li key={l.n}>
                {l.n}. {labelOf(l.n, l.key)}:{' '}
                <strong class={l.delta > 0 ? 'delta-pos' : 'delta-neg'}>
                  {l.delta > 0 ? '+' : ''}
                  {formatNumber(l.delta)}
                </strong>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
