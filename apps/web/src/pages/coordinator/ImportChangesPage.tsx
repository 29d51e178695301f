import { api } from '../../api';
import { Loading } from '../../components/Loading';
import { Notice, errorText } from '../../components/Notice';
import { useAsync } from '../../hooks';
import { formatNumber, useT } from '../../i18n';
import { Link } from '../../router';

/**
 * Precincts whose official numbers changed between this import and the version before it: each
 * changed line with both values. A change after publication is a finding of its own.
 */
export function ImportChangesPage({ id }: { id: string }) {
  const t = useT();
  const { data, error, loading } = useAsync(() => api.importChanges(id), [id]);
  return (
    <div class="stack">
      <p>
        <Link href="/admin/imports">← {t('imports.title')}</Link>
      </p>
      <h1>{t('changes.title')}</h1>
      {loading && !data && <Loading />}
      {error !== undefined && <Notice kind="error">{errorText(error)}</Notice>}
      {data && (
        <>
          <p role="status">
            {data.previousVersion === null
              ? t('changes.first')
              : t('changes.summary', {
                  n: formatNumber(data.total),
                  version: data.version ?? '?',
                  previous: data.previousVersion,
                })}
          </p>
          <ul class="cards">
            {data.items.map((c) => (
              <li key={c.precinct.id} class="card" data-precinct={c.precinct.number}>
                <h2>
                  {c.precinct.region}, {t('results.precinctNo', { n: c.precinct.number })}
                </h2>
                {c.precinct.district && <p class="muted">{c.precinct.district}</p>}
                <div class="table-wrap">
                  <table class="compact">
                    <thead>
                      <tr>
                        <th scope="col">{t('results.line')}</th>
                        <th scope="col" class="num">
                          {t('changes.previous')}
                        </th>
                        <th scope="col" class="num">
                          {t('changes.current')}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {c.lines.map((l) => (
                        <tr key={l.n} data-line={l.n}>
                          <th scope="row">
                            {l.n}. {l.key}
                          </th>
                          <td class="num">{formatNumber(l.previous)}</td>
                          <td class="num">{formatNumber(l.current)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
