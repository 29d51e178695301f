import { useState } from 'preact/hooks';
import { api } from '../../api';
import { ElectionSelect } from '../../components/ElectionSelect';
import { LineComparison } from '../../components/LineComparison';
import { Loading } from '../../components/Loading';
import { Notice, errorText } from '../../components/Notice';
import { StatusBadge } from '../../components/StatusBadge';
import { useAsync } from '../../hooks';
import { formatNumber, useT, type MessageKey } from '../../i18n';
import { Link, navigate, useLocation } from '../../router';
import { MATCH_STATUSES, type Discrepancy } from '../../types';
import { ResultsNav } from './ResultsNav';
import { SummaryCards } from './SummaryCards';

const PAGE_SIZE = 50;

export function precinctHref(slug: string, d: Discrepancy): string {
  const base = `/results/${encodeURIComponent(slug)}/precincts`;
  if (d.precinct.id) return `${base}/${encodeURIComponent(d.precinct.id)}`;
  const q = new URLSearchParams({ region: d.precinct.region, number: d.precinct.number });
  return `${base}/find?${q.toString()}`;
}

/** The public list of precincts where the observed protocol and the official numbers differ. */
export function DiscrepanciesPage({ slug }: { slug?: string }) {
  const t = useT();
  const { query } = useLocation();
  const filters = {
    region: query.get('region') ?? '',
    district: query.get('district') ?? '',
    status: query.get('status') ?? '',
  };
  const page = Math.max(1, Number(query.get('page') ?? '1') || 1);
  const [draft, setDraft] = useState(filters);
  const election = useAsync(() => (slug ? api.election(slug) : Promise.resolve(undefined)), [slug]);
  const summary = useAsync(() => (slug ? api.summary(slug) : Promise.resolve(undefined)), [slug]);
  const list = useAsync(
    () => (slug ? api.discrepancies(slug, { ...filters, page, pageSize: PAGE_SIZE }) : Promise.resolve(undefined)),
    [slug, filters.region, filters.district, filters.status, page],
  );

  const go = (f: typeof filters, p = 1) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v.trim()) q.set(k, v.trim());
    if (p > 1) q.set('page', String(p));
    const s = q.toString();
    navigate(`/results/${encodeURIComponent(slug ?? '')}${s ? `?${s}` : ''}`);
  };

  if (!slug) {
    return (
      <div class="stack narrow">
        <h1>{t('results.title')}</h1>
        <ElectionSelect
          value=""
          onChange={(s) => s && navigate(`/results/${encodeURIComponent(s)}`, true)}
          id="results-election"
        />
      </div>
    );
  }

  const labelOf = (n: number, key: string) => election.data?.template?.lines.find((l) => l.n === n)?.label ?? key;
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <div class="stack">
      <h1>{election.data?.name ?? slug}</h1>
      <ResultsNav slug={slug} />
      {summary.data && <SummaryCards summary={summary.data} labelOf={labelOf} />}
      <form class="filters card" onSubmit={(e) => (e.preventDefault(), go(draft))}>
        <div class="field">
          <label for="f-region">{t('results.region')}</label>
          <input
            id="f-region"
            value={draft.region}
            onInput={(e) => setDraft({ ...draft, region: e.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for="f-district">{t('results.district')}</label>
          <input
            id="f-district"
            value={draft.district}
            onInput={(e) => setDraft({ ...draft, district: e.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for="f-status">{t('results.status')}</label>
          <select
            id="f-status"
            value={draft.status}
            onChange={(e) => setDraft({ ...draft, status: (e.currentTarget as HTMLSelectElement).value })}
          >
            <option value="">{t('results.statusDefault')}</option>
            {MATCH_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div class="row">
          <button type="submit" class="primary">
            {t('results.apply')}
          </button>
          <a class="button" href={api.discrepanciesCsvUrl(slug, filters)} download={`${slug}-discrepancies.csv`}>
            {t('results.csv')}
          </a>
        </div>
      </form>
      {list.loading && !list.data && <Loading />}
      {list.error !== undefined && <Notice kind="error">{errorText(list.error)}</Notice>}
      {list.data && (
        <p class="muted" role="status">
          {t('results.found', { n: formatNumber(total) })}
        </p>
      )}
      <ul class="cards discrepancies">
        {list.data?.items.map((d) => (
          <li key={`${d.precinct.region}-${d.precinct.number}`} class="card discrepancy">
            <div class="report-head">
              <Link href={precinctHref(slug, d)}>
                {d.precinct.region}, {t('results.precinctNo', { n: d.precinct.number })}
              </Link>
              <StatusBadge status={d.status} />
            </div>
            {d.precinct.district && <p class="muted">{d.precinct.district}</p>}
            {d.photos?.[0] && (
              <Link href={precinctHref(slug, d)} class="thumb-link">
                <img class="thumb" src={d.photos[0].thumbUrl} alt={t('results.photoAlt')} loading="lazy" />
              </Link>
            )}
            {d.lines.length > 0 && (
              <LineComparison lines={d.lines} compact nameOf={(l) => l.key} titleOf={(l) => labelOf(l.n, l.key)} />
            )}
          </li>
        ))}
      </ul>
      {pages > 1 && (
        <nav class="row pager" aria-label={t('results.pagination')}>
          <button type="button" disabled={page <= 1} onClick={() => go(filters, page - 1)}>
            ‹ {t('results.prev')}
          </button>
          <span>{t('results.page', { page, pages })}</span>
          <button type="button" disabled={page >= pages} onClick={() => go(filters, page + 1)}>
            {t('results.next')} ›
          </button>
        </nav>
      )}
    </div>
  );
}
