import { api } from '../../api';
import { LineComparison } from '../../components/LineComparison';
import { Loading } from '../../components/Loading';
import { Notice, errorText } from '../../components/Notice';
import { PhotoViewer } from '../../components/PhotoViewer';
import { StatusBadge } from '../../components/StatusBadge';
import { saveBlob, toCsv } from '../../download';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { Link, useLocation } from '../../router';
import type { PrecinctDiscrepancy } from '../../types';

/** The precinct id, looked up by region and number when the list did not carry it. */
async function resolveId(slug: string, id: string, query: URLSearchParams): Promise<string> {
  if (id !== 'find') return id;
  const region = query.get('region') ?? '';
  const number = query.get('number') ?? '';
  const found = await api.findPrecincts(slug, region, number);
  const exact = found.items.find((p) => p.region === region && p.number === number) ?? found.items[0];
  if (!exact) throw new Error(`${region} ${number}`);
  return exact.id;
}

/** One precinct: the protocol photo, and official vs observed numbers per line. */
export function PrecinctPage({ slug, id }: { slug: string; id: string }) {
  const t = useT();
  const { query } = useLocation();
  const { data, error, loading } = useAsync(
    async () => api.precinctDiscrepancy(slug, await resolveId(slug, id, query)),
    [slug, id, query.toString()],
  );
  const back = `/results/${encodeURIComponent(slug)}`;

  const csv = (d: PrecinctDiscrepancy) =>
    saveBlob(
      toCsv([
        ['n', 'key', 'label', 'official', 'observed', 'delta'],
        ...d.lines.map((l) => [l.n, l.key, l.label ?? '', l.official, l.observed, l.delta]),
      ]),
      `${slug}-${d.precinct.region}-${d.precinct.number}.csv`,
    );

  return (
    <div class="stack">
      <p>
        <Link href={back}>← {t('results.backToList')}</Link>
      </p>
      {loading && !data && <Loading />}
      {error !== undefined && <Notice kind="error">{errorText(error)}</Notice>}
      {data && (
        <>
          <div class="report-head">
            <h1>
              {data.precinct.region}, {t('results.precinctNo', { n: data.precinct.number })}
            </h1>
            <StatusBadge status={data.status} />
          </div>
          {(data.precinct.district || data.precinct.territory) && (
            <p class="muted">{[data.precinct.district, data.precinct.territory].filter(Boolean).join(' · ')}</p>
          )}
          <div class="task-grid">
            <PhotoViewer photos={data.photos} alt={t('results.photoAlt')} />
            <div class="stack-sm">
              <LineComparison
                lines={data.lines}
                highlight
                caption={t('results.linesCaption')}
                nameOf={(l) => l.label ?? l.key}
              />
              <p class="hint">{t('results.deltaHint')}</p>
              <div class="row">
                <button type="button" onClick={() => csv(data)}>
                  {t('results.csv')}
                </button>
              </div>
            </div>
          </div>
        </>
      )}
    </div>
  );
}
