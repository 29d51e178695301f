import { toCsv } from './common/csv';
import { EvotingReportDto, ModeComparisonDto } from './evoting/evoting.dto';
import { ForensicsDto, HistogramBinDto } from './forensics/forensics.dto';

const MODES = ['paper', 'evoting', 'combined'] as const;

/**
 * The e-voting report as one row per area, mode and candidate line (long format, for
 * spreadsheets and pivot tables): `level` is `region` or `district`.
 */
export function evotingCsv(report: EvotingReportDto): string {
  const rows = (level: string, region: string, district: string | null, c: ModeComparisonDto) =>
    MODES.flatMap((mode) =>
      c[mode].lines.map((l) => [
        level,
        region,
        district,
        mode,
        c[mode].precincts,
        c[mode].valid,
        l.n,
        l.key,
        l.votes,
        l.share,
        c[mode].leader?.key ?? null,
        c.reversed,
        c.swing,
      ]),
    );
  return toCsv(
    [
      'level',
      'region',
      'district',
      'mode',
      'precincts',
      'valid',
      'n',
      'key',
      'votes',
      'share',
      'leader',
      'reversed',
      'swing',
    ],
    [
      ...report.regions.flatMap((r) => rows('region', r.region, null, r)),
      ...report.districts.flatMap((d) => rows('district', d.region, d.district, d)),
    ],
  );
}

export function histogramCsv(bins: HistogramBinDto[]): string {
  return toCsv(
    ['pct', 'precincts', 'ballots'],
    bins.map((b) => [b.pct, b.count, b.ballots]),
  );
}

/** Non-empty heatmap cells only: the lower edges of the cell on both axes. */
export function heatmapCsv(f: ForensicsDto): string {
  const rows: number[][] = [];
  f.heatmap.cells.forEach((col, i) =>
    col.forEach((count, j) => {
      if (count > 0) rows.push([f.heatmap.bins[i], f.heatmap.bins[j], count, f.heatmap.ballots[i][j]]);
    }),
  );
  return toCsv(['turnout_pct', 'leader_share_pct', 'precincts', 'ballots'], rows);
}
