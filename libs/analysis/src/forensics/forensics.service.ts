import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { AnalysisSourceService } from '../common/analysis-source.service';
import { ForensicsDto, ForensicsQueryDto, HistogramBinDto } from './forensics.dto';
import { ForensicsBinRow, ForensicsRepository } from './forensics.repository';

/** Turnout above which a precinct's ballots count as "high turnout" (Kobak, Shpilkin). */
export const HIGH_TURNOUT_PCT = 80;

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

@Injectable()
export class ForensicsService {
  constructor(
    private readonly source: AnalysisSourceService,
    private readonly forensics: ForensicsRepository,
  ) {}

  async compute(slug: string, query: ForensicsQueryDto): Promise<ForensicsDto> {
    const { election, version, sql } = await this.source.load(slug, query.region);
    if (!sql.registered || !sql.ballotsCast) {
      throw new UnprocessableEntityException(
        'Forensics need the template’s `registered` and `ballotsCast` sums, and this election’s template lacks them',
      );
    }
    const binWidth = query.binWidth ?? 1;
    const cellWidth = query.cellWidth ?? 1;
    const rows = await this.forensics.compute(
      {
        electionId: election.id,
        importId: version.importId,
        region: query.region,
        binWidth,
        cellWidth,
        highTurnout: HIGH_TURNOUT_PCT,
      },
      sql,
    );
    const t = rows.totals;
    const leaderLine = sql.candidates.find((c) => c.n === t.leader);
    const cellsPerAxis = Math.round(100 / cellWidth);
    const cells = matrix(cellsPerAxis);
    const ballots = matrix(cellsPerAxis);
    for (const c of rows.cells) {
      cells[c.i][c.j] = c.precincts;
      ballots[c.i][c.j] = c.ballots;
    }
    return {
      importId: version.importId,
      version: version.version,
      region: query.region ?? null,
      leader: leaderLine
        ? {
            n: leaderLine.n,
            key: leaderLine.key,
            label: leaderLine.label,
            votes: t.leaderVotes,
            share: t.valid > 0 ? round4((100 * t.leaderVotes) / t.valid) : 0,
          }
        : null,
      precincts: t.precincts,
      evotingUnitsExcluded: t.evotingUnits,
      noRegistered: t.noRegistered,
      registered: t.registered,
      ballots: t.ballots,
      valid: t.valid,
      turnout: t.registered > 0 ? round4((100 * t.ballots) / t.registered) : 0,
      binWidth,
      cellWidth,
      turnoutHistogram: histogram(rows.turnout, binWidth),
      leaderShareHistogram: histogram(rows.leaderShare, binWidth),
      heatmap: { bins: Array.from({ length: cellsPerAxis + 1 }, (_, i) => edge(i, cellWidth)), cells, ballots },
      highTurnoutThreshold: HIGH_TURNOUT_PCT,
      highTurnoutShare: t.ballots > 0 ? t.highTurnoutBallots / t.ballots : 0,
      highTurnoutPrecincts: t.highTurnoutPrecincts,
      integerPercent: {
        turnout: { observed: t.integerTurnout, expected: round4(t.integerTurnoutExpected) },
        leaderShare: { observed: t.integerShare, expected: round4(t.integerShareExpected) },
      },
    };
  }
}

const edge = (i: number, width: number) => Number((i * width).toFixed(4));

function matrix(n: number): number[][] {
  return Array.from({ length: n }, () => new Array<number>(n).fill(0));
}

/** Every bin from 0 % to 100 % (and past it, if a protocol says so), empty ones included. */
function histogram(rows: ForensicsBinRow[], width: number): HistogramBinDto[] {
  const last = Math.max(Math.round(100 / width), ...rows.map((r) => r.bin));
  const byBin = new Map(rows.filter((r) => r.bin >= 0).map((r) => [r.bin, r]));
  return Array.from({ length: last + 1 }, (_, bin) => ({
    pct: edge(bin, width),
    count: byBin.get(bin)?.precincts ?? 0,
    ballots: byBin.get(bin)?.ballots ?? 0,
  }));
}
