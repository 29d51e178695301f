import { useState } from 'preact/hooks';
import { api } from '../../api';
import { ChartFrame } from '../../components/charts/ChartFrame';
import { Heatmap } from '../../components/charts/Heatmap';
import { Histogram } from '../../components/charts/Histogram';
import { Loading } from '../../components/Loading';
import { Notice, errorText } from '../../components/Notice';
import { useAsync } from '../../hooks';
import { formatNumber, useT } from '../../i18n';
import { navigate, useLocation } from '../../router';
import type { HistogramBin } from '../../types';
import { ResultsNav } from './ResultsNav';

const binsCsv = (bins: HistogramBin[]) => [['pct', 'count'], ...bins.map((b) => [b.pct, b.count])];

/** Election forensics: turnout and leader-share distributions, and their joint heatmap. */
export function ForensicsPage({ slug }: { slug: string }) {
  const t = useT();
  const { query } = useLocation();
  const region = query.get('region') ?? '';
  const [draft, setDraft] = useState(region);
  const { data, error, loading } = useAsync(() => api.forensics(slug, region || undefined), [slug, region]);
  const file = `${slug}${region ? `-${region}` : ''}`;

  return (
    <div class="stack">
      <h1>{t('forensics.title')}</h1>
      <ResultsNav slug={slug} />
      <p>{t('forensics.intro')}</p>
      <form class="filters card" onSubmit={(e) => {
        e.preventDefault();
        navigate(`/results/${encodeURIComponent(slug)}/forensics${draft.trim() ? `?region=${encodeURIComponent(draft.trim())}` : ''}`);
      }}>
        <div class="field">
          <label for="fx-region">{t('results.region')}</label>
          <input id="fx-region" value={draft} placeholder={t('forensics.allRegions')} onInput={(e) => setDraft(e.currentTarget.value)} />
        </div>
        <div class="row">
          <button type="submit" class="primary">{t('results.apply')}</button>
        </div>
      </form>
      {loading && !data && <Loading />}
      {error !== undefined && <Notice kind="error">{errorText(error)}</Notice>}
      {data && (
        <>
          {data.highTurnoutShare !== undefined && data.highTurnoutShare !== null && (
            <p class="lead">{t('forensics.highTurnout', { pct: formatNumber(data.highTurnoutShare * (data.highTurnoutShare <= 1 ? 100 : 1), 1) })}</p>
          )}
          <ChartFrame title={t('forensics.turnout')} fileName={`${file}-turnout`} csv={() => binsCsv(data.turnoutHistogram)}>
            <Histogram bins={data.turnoutHistogram} xLabel={t('forensics.turnoutAxis')} yLabel={t('forensics.precincts')}
              summary={t('forensics.turnout')} />
          </ChartFrame>
          <ChartFrame title={t('forensics.leaderShare')} fileName={`${file}-leader-share`} csv={() => binsCsv(data.leaderShareHistogram)}>
            <Histogram bins={data.leaderShareHistogram} xLabel={t('forensics.leaderAxis')} yLabel={t('forensics.precincts')}
              summary={t('forensics.leaderShare')} />
          </ChartFrame>
          <ChartFrame title={t('forensics.heatmap')} description={t('forensics.heatmapHint')} fileName={`${file}-heatmap`}
            csv={() => [['turnout_bin', 'leader_bin', 'count'], ...data.heatmap.cells.flatMap((col, i) => col.map((v, j) => [i, j, v]))]}>
            <Heatmap bins={data.heatmap.bins} cells={data.heatmap.cells} xLabel={t('forensics.turnoutAxis')}
              yLabel={t('forensics.leaderAxis')} summary={t('forensics.heatmap')} />
          </ChartFrame>
        </>
      )}
    </div>
  );
}
