import { useT } from '../../i18n';
import type { ProtocolTemplate } from '../../types';

/** A protocol template: its numbered lines and control ratios. */
export function TemplateView({ template }: { template: ProtocolTemplate }) {
  const t = useT();
  return (
    <div class="stack-sm">
      <div class="table-wrap">
        <table>
          <caption>{t('elections.lines', { n: template.lines.length })}</caption>
          <thead>
            <tr>
              <th scope="col" class="num">
                №
              </th>
              <th scope="col">{t('elections.key')}</th>
              <th scope="col">{t('elections.label')}</th>
            </tr>
          </thead>
          <tbody>
            {template.lines.map((l) => (
              <tr key={l.n}>
                <td class="num">{l.n}</td>
                <td>
                  <code>{l.key}</code>
                </td>
                <td>
                  {l.label}
                  {l.candidate ? ' ★' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h4>{t('review.ratios')}</h4>
      <ul class="plain">
        {template.ratios.map((r) => (
          <li key={r.id}>
            <span class={`badge badge-${r.severity}`}>
              {t(r.severity === 'error' ? 'elections.error' : 'elections.warning')}
            </span>{' '}
            <code>{r.expr}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
