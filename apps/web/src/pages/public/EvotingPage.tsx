import { api } from '../../api';
import { ChartFrame } from '../../components/charts/ChartFrame';
import { DumbbellChart, type DumbbellRow, type DumbbellSeries } from '../../components/charts/DumbbellChart';
import { Loading } from '../../components/Loading';
import { Notice, errorText } from '../../components/Notice';
import { useAsync } from '../../hooks';
import { formatNumber, getLang, useT } from '../../i18n';
import type { EvotingDistrict, ModeSide } from '../../types';
import { ResultsNav, shortName } from './ResultsNav';

const COLORS = ['#c0392b', '#1f5fbf', '#7d3c98', '#1e8449', '#b9770e', '#2e4053'];

/** Wording for the regional summary, which the shared dictionary does not have yet. */
const TEXT = {
  en: {
    paper: 'paper',
    evoting: 'e-voting',
    combined: 'together',
    onlyWith: 'Districts with remote e-voting units only.',
  },
  ru: { paper: 'бумага', evoting: 'ДЭГ', combined: 'вместе', onlyWith: 'Показаны только округа с участками ДЭГ.' },
};

function share(side: ModeSide, n: number): number {
  return side.lines.find((l) => l.n === n)?.share ?? 0;
}

/** Districts where adding the remote e-voting units changed who leads. */
export function EvotingPage({ slug }: { slug: string }) {
  const t = useT();
  const election = useAsync(() => api.election(slug), [slug]);
  const { data, error, loading } = useAsync(() => api.evoting(slug), [slug]);
  const nameOf = (n: number, key: string) =>
    shortName(election.data?.template?.lines.find((l) => l.n === n)?.label, key);

  const all: EvotingDistrict[] = data?.districts ?? [];
  // Where no unit voted online, paper and combined are the same: those districts say nothing here.
  const withEvoting = all.filter((d) => (d.evoting.precincts ?? 1) > 0);
  const districts = withEvoting.length > 0 ? withEvoting : all;
  const text = TEXT[getLang()];
  const leaders = new Map<number, string>();
  for (const d of districts) {
    if (d.paper.leader) leaders.set(d.paper.leader.n, d.paper.leader.key);
    if (d.combined.leader) leaders.set(d.combined.leader.n, d.combined.leader.key);
  }
  const series: DumbbellSeries[] = [...leaders].map(([n, key], i) => ({
    id: String(n),
    name: nameOf(n, key),
    color: COLORS[i % COLORS.length],
  }));
  const regions = new Set(districts.map((d) => d.region));
  const rows: DumbbellRow[] = districts.map((d) => ({
    label: regions.size > 1 ? `${d.region.slice(0, 10)} ${d.district}` : d.district,
    highlight: d.reversed,
    values: Object.fromEntries(
      series.map((s) => [s.id, { from: share(d.paper, Number(s.id)), to: share(d.combined, Number(s.id)) }]),
    ),
  }));
  const reversed = districts.filter((d) => d.reversed).length;
  const leaderCell = (side: ModeSide) =>
    side.leader ? (
      <>
        {nameOf(side.leader.n, side.leader.key)}
        <br />
        <span class="muted">{formatNumber(share(side, side.leader.n), 2)} %</span>
      </>
    ) : (
      '—'
    );

  const csv = () => [
    [
      'region',
      'district',
      'paper_leader',
      'combined_leader',
      'reversed',
      'swing',
      ...series.flatMap((s) => [`${s.name} paper %`, `${s.name} combined %`]),
    ],
    ...districts.map((d) => [
      d.region,
      d.district,
      d.paper.leader?.key,
      d.combined.leader?.key,
      d.reversed,
      d.swing,
      ...series.flatMap((s) => [share(d.paper, Number(s.id)), share(d.combined, Number(s.id))]),
    ]),
  ];

  return (
    <div class="stack">
      <h1>{t('evoting.title')}</h1>
      <ResultsNav slug={slug} />
      <p>{t('evoting.intro')}</p>
      {loading && !data && <Loading />}
      {error !== undefined && <Notice kind="error">{errorText(error)}</Notice>}
      {data && (
        <>
          <p class="lead" role="status">
            {t('evoting.reversedCount', { n: reversed, total: districts.length })}
          </p>
          {districts.length < all.length && <p class="hint">{text.onlyWith}</p>}
          {(data.regions ?? [])
            .filter((r) => r.evoting.precincts !== 0 && r.paper.leader && r.combined.leader)
            .map((r) => {
              const pair = [
                r.paper.leader!,
                ...(r.combined.leader!.n !== r.paper.leader!.n ? [r.combined.leader!] : []),
              ];
              const fmt = (side: ModeSide) =>
                pair.map((l) => `${nameOf(l.n, l.key)} ${formatNumber(share(side, l.n), 2)} %`).join(' · ');
              return (
                <p key={r.region} class="region-summary">
                  <strong>{r.region}</strong>: {text.paper} {fmt(r.paper)}; {text.evoting} {fmt(r.evoting)};{' '}
                  {text.combined} {fmt(r.combined)}
                </p>
              );
            })}
          {districts.length > 0 && (
            <ChartFrame
              title={t('evoting.chartTitle')}
              description={t('evoting.chartHint')}
              fileName={`${slug}-evoting`}
              csv={csv}
            >
              <DumbbellChart
                rows={rows}
                series={series}
                xLabel={t('evoting.shareAxis')}
                fromLabel={t('evoting.paper')}
                toLabel={t('evoting.combined')}
                summary={t('evoting.reversedCount', { n: reversed, total: districts.length })}
              />
            </ChartFrame>
          )}
          <div class="table-wrap">
            <table class="compact">
              <thead>
                <tr>
                  <th scope="col">{t('results.district')}</th>
                  <th scope="col">{t('evoting.paperLeader')}</th>
                  <th scope="col">{t('evoting.combinedLeader')}</th>
                  <th scope="col" class="num">
                    {t('evoting.swing')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {districts.map((d) => (
                  <tr key={`${d.region}-${d.district}`} class={d.reversed ? 'differs' : ''}>
                    <th scope="row">
                      {d.district}
                      {regions.size > 1 && <span class="muted"> · {d.region}</span>}
                      {d.reversed && <span class="badge badge-mismatch">{t('evoting.reversed')}</span>}
                    </th>
                    <td>{leaderCell(d.paper)}</td>
                    <td>{leaderCell(d.combined)}</td>
                    <td class="num">{formatNumber(d.swing, 2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
