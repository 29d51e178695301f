import { formatNumber, useT } from '../../i18n';
import type { RatioCheck } from '../../ratios';

/** Live control-ratio results: errors block the submit, warnings only inform. */
export function RatioPanel({ checks }: { checks: RatioCheck[] }) {
  const t = useT();
  const broken = checks.filter((c) => c.state === 'broken');
  return (
    <section class="ratios" aria-labelledby="ratios-title">
      <h2 id="ratios-title">{t('review.ratios')}</h2>
      <p class="sr-only" aria-live="polite">
        {broken.length === 0 ? t('review.ratiosOk') : t('review.ratiosBroken', { n: broken.length })}
      </p>
      <ul>
        {checks.map((c) => {
          const cls =
            c.state === 'broken'
              ? c.ratio.severity === 'error'
                ? 'ratio-error'
                : 'ratio-warning'
              : `ratio-${c.state}`;
          const icon = c.state === 'ok' ? '✓' : c.state === 'broken' ? (c.ratio.severity === 'error' ? '✗' : '!') : '…';
          return (
            <li key={c.ratio.id} class={cls} data-ratio={c.ratio.id}>
              <span aria-hidden="true" class="ratio-icon">
                {icon}
              </span>
              <span class="ratio-body">
                <code>{c.ratio.expr}</code>
                {c.state === 'broken' && (
                  <span class="ratio-detail">
                    {t(c.ratio.severity === 'error' ? 'review.ratioError' : 'review.ratioWarning')}:{' '}
                    {t('review.sides', { left: formatNumber(c.left), right: formatNumber(c.right) })}
                  </span>
                )}
                {c.state === 'incomplete' && <span class="sr-only">{t('review.ratioIncomplete')}</span>}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
