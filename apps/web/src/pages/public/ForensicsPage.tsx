import { useState } from 'preact/hooks';
import { api } from '../../api';
import { ChartFrame } from '../../components/charts/ChartFrame';
import { Heatmap } from '../../components/charts/Heatmap';
import { Histogram } from '../../components/charts/Histogram';
import { Loading } from '../../components/Loading';
import { Notice, errorText } from '../../components/Notice';
import { useAsync } from '../../hooks';
import { formatNumber, getLang, useT } from '../../i18n';
import { navigate, useLocation } from '../../router';
import type { Forensics, HistogramBin } from '../../types';
import { ResultsNav, shortName } from './ResultsNav';

/** Wording for the figures the shared dictionary does not have yet. */
const TEXT = {
  en: {
    high: (pct: string, n: string, threshold: number) =>
      `${pct} % of ballots were cast at precincts with turnout above ${threshold} % (${n} precincts).`,
    totals: (p: string, turnout: string, ev: number) =>
      `${p} precincts, turnout ${turnout} %${ev ? `; ${ev} remote e-voting units left out` : ''}.`,
    integers: (t: number, te: string, s: number, se: string) =>
      `Whole-number percentages: turnout ${t} precincts (${te} expected by chance), leader’s share ${s} (${se} expected).`,
    cells: 'precincts per cell',
  },
  ru: {
    high: (pct: string, n: string, threshold: number) =>
      `${pct} % бюллетеней поданы на участках с явкой выше ${threshold} % (${n} участков).`,
    totals: (p: string, turnout: string, ev: number) =>
      `Участков: ${p}, явка ${turnout} %${ev ? `; участки ДЭГ (${ev}) не учтены` : ''}.`,
    integers: (t: number, te: string, s: number, se: string) =>
      `Целые проценты: явка — ${t} участков (случайно ожидалось бы ${te}), доля лидера — ${s} (ожидалось ${se}).`,
    cells: 'участков в клетке',
  },
};

function leaderName(data: Forensics): string {
  return data.leader ? shortName(data.leader.label, data.leader.key) : '';
}

const binsCsv = (bins: HistogramBin[]) => [
  ['pct', 'precincts', 'ballots'],
  ...bins.map((b) => [b.pct, b.count, b.ballots]),
];
const edgeOf = (data: Forensics, i: number) =>
  Array.isArray(data.heatmap.bins) ? data.heatmap.bins[i] : (100 * i) / data.heatmap.bins;

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
      <form
        class="filters card"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(
            `/results/${encodeURIComponent(slug)}/forensics${draft.trim() ? `?region=${encodeURIComponent(draft.trim())}` : ''}`,
          );
        }}
      >
        <div class="field">
          <label for="fx-region">{t('results.region')}</label>
          <input
            id="fx-region"
            value={draft}
            placeholder={t('forensics.allRegions')}
            onInput={(e) => setDraft(e.currentTarget.value)}
          />
        </div>
        <div class="row">
          <button type="submit" class="primary">
            {t('results.apply')}
          </button>
        </div>
      </form>
      {loading && !data && <Loading />}
      {error !== undefined && <Notice kind="error">{errorText(error)}</Notice>}
      {data && (
        <>
          {data.highTurnoutShare !== undefined && data.highTurnoutShare !== null && (
            <p class="lead">
              {TEXT[getLang()].high(
                formatNumber(data.highTurnoutShare * 100, 1),
                formatNumber(data.highTurnoutPrecincts),
                data.highTurnoutThreshold ?? 80,
              )}
            </p>
          )}
          {data.precincts !== undefined && (
            <p>
              {TEXT[getLang()].totals(
                formatNumber(data.precincts),
                formatNumber(data.turnout, 2),
                data.evotingUnitsExcluded ?? 0,
              )}
              {data.integerPercent && (
                <>
                  {' '}
                  {TEXT[getLang()].integers(
                    data.integerPercent.turnout.observed,
                    formatNumber(data.integerPercent.turnout.expected, 1),
                    data.integerPercent.leaderShare.observed,
                    formatNumber(data.integerPercent.leaderShare.expected, 1),
                  )}
                </>
              )}
            </p>
          )}
          <ChartFrame
            title={t('forensics.turnout')}
            fileName={`${file}-turnout`}
            csv={() => binsCsv(data.turnoutHistogram)}
          >
            <Histogram
              bins={data.turnoutHistogram}
              xLabel={t('forensics.turnoutAxis')}
              yLabel={t('forensics.precincts')}
              summary={t('forensics.turnout')}
            />
          </ChartFrame>
          <ChartFrame
            title={`${t('forensics.leaderShare')}${data.leader ? `: ${leaderName(data)}` : ''}`}
            fileName={`${file}-leader-share`}
            csv={() => binsCsv(data.leaderShareHistogram)}
          >
            <Histogram
              bins={data.leaderShareHistogram}
              xLabel={t('forensics.leaderAxis')}
              yLabel={t('forensics.precincts')}
              summary={t('forensics.leaderShare')}
            />
          </ChartFrame>
          <ChartFrame
            title={t('forensics.heatmap')}
            description={t('forensics.heatmapHint')}
            fileName={`${file}-heatmap`}
            csv={() => [
              ['turnout_pct', 'leader_share_pct', 'precincts'],
              ...data.heatmap.cells.flatMap((col, i) => col.map((v, j) => [edgeOf(data, i), edgeOf(data, j), v])),
            ]}
          >
            <Heatmap
              bins={data.heatmap.bins}
              cells={data.heatmap.cells}
              xLabel={t('forensics.turnoutAxis')}
              yLabel={t('forensics.leaderAxis')}
              summary={t('forensics.heatmap')}
              legendLabel={TEXT[getLang()].cells}
            />
          </ChartFrame>
        </>
      )}
    </div>
  );
}
