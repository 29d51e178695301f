import { api } from '../../api';
import { Loading } from '../../components/Loading';
import { Notice, errorText } from '../../components/Notice';
import { useAsync } from '../../hooks';
import { formatNumber, useT } from '../../i18n';

export function StatsPage() {
  const t = useT();
  const { data, error, loading } = useAsync(() => api.stats(), []);
  return (
    <div class="stack">
      <h1>{t('stats.title')}</h1>
      {loading && !data && <Loading />}
      {error !== undefined && <Notice kind="error">{errorText(error)}</Notice>}
      {data?.length === 0 && <p class="muted">{t('stats.none')}</p>}
      {data && data.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('stats.moderator')}</th>
                <th scope="col" class="num">
                  {t('stats.tasksDone')}
                </th>
                <th scope="col" class="num">
                  {t('stats.agreement')}
                </th>
                <th scope="col" class="num">
                  {t('stats.median')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.map((s) => (
                <tr key={s.moderatorId}>
                  <td>{s.email}</td>
                  <td class="num">{formatNumber(s.tasksDone)}</td>
                  <td class="num">
                    {s.agreementRate === null
                      ? '—'
                      : `${formatNumber(s.agreementRate * (s.agreementRate <= 1 ? 100 : 1), 1)} %`}
                  </td>
                  <td class="num">
                    {s.medianSeconds === null ? '—' : `${formatNumber(s.medianSeconds)} ${t('stats.seconds')}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
