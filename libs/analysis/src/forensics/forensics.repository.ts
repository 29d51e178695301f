import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TemplateSql } from '../common/analysis-sql';

export interface ForensicsBinRow {
  bin: number;
  precincts: number;
  ballots: number;
}

export interface ForensicsCellRow {
  i: number;
  j: number;
  precincts: number;
  ballots: number;
}

export interface ForensicsTotalsRow {
  precincts: number;
  registered: number;
  ballots: number;
  valid: number;
  /** Precincts left out of the turnout figures because nobody was on the list. */
  noRegistered: number;
  leader: number | null;
  leaderVotes: number;
  highTurnoutPrecincts: number;
  highTurnoutBallots: number;
  integerTurnout: number;
  integerTurnoutExpected: number;
  integerShare: number;
  integerShareExpected: number;
  evotingUnits: number;
}

export interface ForensicsRows {
  totals: ForensicsTotalsRow;
  turnout: ForensicsBinRow[];
  leaderShare: ForensicsBinRow[];
  cells: ForensicsCellRow[];
}

export interface ForensicsQuery {
  electionId: string;
  importId: string;
  region?: string;
  /** Histogram bin width in percentage points (a divisor of 100). */
  binWidth: number;
  /** Heatmap cell width in percentage points (a divisor of 100). */
  cellWidth: number;
  /** Turnout above which a precinct counts as "high" (percent). */
  highTurnout: number;
}

@Injectable()
export class ForensicsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Every forensic figure in one statement over one row per precinct of the latest official
   * version: the overall leader (most votes in the selection), then per precinct its turnout
   * and the leader's share, binned three ways. Remote e-voting units are left out: each is a
   * whole district's online vote, not a polling station, and would distort precinct histograms.
   * Percentages stay exact `numeric` so that a turnout of exactly 80 % lands in the 80 bin.
   * "Integer" counts precincts whose percentage is a whole number; the expected count, if the
   * last digits were random, is Σ (gcd(d, 100) + 1) / (d + 1) over denominators d.
   */
  async compute(q: ForensicsQuery, t: TemplateSql): Promise<ForensicsRows> {
    const votes = t.candidates.map((c) => `sum(v[${c.index}])`).join(', ');
    const [row] = await this.dataSource.query(
      `WITH base AS (
         SELECT r.line_values AS v, ${t.registered!('r.line_values')}::bigint AS registered,
                ${t.ballotsCast!('r.line_values')}::bigint AS ballots, ${t.valid('r.line_values')}::bigint AS valid
           FROM official_results r JOIN precincts p ON p.id = r.precinct_id
          WHERE r.import_id = $1 AND NOT p.evoting AND ($2::text IS NULL OR p.region = $2)
       ), totals AS (
         SELECT count(*)::int AS precincts, coalesce(sum(registered), 0)::bigint AS registered,
                coalesce(sum(ballots), 0)::bigint AS ballots, coalesce(sum(valid), 0)::bigint AS valid,
                ARRAY[${votes}]::bigint[] AS votes
           FROM base
       ), leader AS (
         SELECT c.idx, c.n, c.votes
           FROM totals, unnest($3::int[], $4::int[], totals.votes) AS c (idx, n, votes)
          WHERE c.votes > 0 ORDER BY c.votes DESC, c.n LIMIT 1
       ), points AS (
         SELECT b.ballots, b.registered, b.valid, b.v[l.idx] AS lv,
                CASE WHEN b.registered > 0 THEN 100.0 * b.ballots / b.registered END AS turnout,
                CASE WHEN b.valid > 0 AND l.idx IS NOT NULL THEN 100.0 * b.v[l.idx] / b.valid END AS share
           FROM base b LEFT JOIN leader l ON true
       ), turnout AS (
         SELECT floor(turnout / $5::numeric)::int AS bin, count(*)::int AS precincts, sum(ballots)::bigint AS ballots
           FROM points WHERE turnout IS NOT NULL GROUP BY 1
       ), share AS (
         SELECT floor(share / $5::numeric)::int AS bin, count(*)::int AS precincts, sum(ballots)::bigint AS ballots
           FROM points WHERE share IS NOT NULL GROUP BY 1
       ), cells AS (
         -- 100 % goes into the top cell rather than a cell of its own beyond the axis.
         SELECT least(floor(turnout / $6::numeric)::int, (100 / $6::numeric)::int - 1) AS i,
                least(floor(share / $6::numeric)::int, (100 / $6::numeric)::int - 1) AS j,
                count(*)::int AS precincts, sum(ballots)::bigint AS ballots
           FROM points WHERE turnout IS NOT NULL AND share IS NOT NULL GROUP BY 1, 2
       ), figures AS (
         SELECT count(*) FILTER (WHERE turnout IS NULL)::int AS "noRegistered",
                count(*) FILTER (WHERE turnout > $7::numeric)::int AS "highTurnoutPrecincts",
                coalesce(sum(ballots) FILTER (WHERE turnout > $7::numeric), 0)::bigint AS "highTurnoutBallots",
                count(*) FILTER (WHERE registered > 0 AND 100 * ballots % registered = 0)::int AS "integerTurnout",
                coalesce(sum((gcd(registered, 100) + 1)::float8 / (registered + 1)) FILTER (WHERE registered > 0), 0)
                  AS "integerTurnoutExpected",
                count(*) FILTER (WHERE valid > 0 AND lv IS NOT NULL AND 100 * lv::bigint % valid = 0)::int AS "integerShare",
                coalesce(sum((gcd(valid, 100) + 1)::float8 / (valid + 1)) FILTER (WHERE valid > 0 AND lv IS NOT NULL), 0)
                  AS "integerShareExpected"
           FROM points
       )
       SELECT json_build_object(
                'precincts', t.precincts, 'registered', t.registered, 'ballots', t.ballots, 'valid', t.valid,
                'leader', (SELECT n FROM leader), 'leaderVotes', coalesce((SELECT votes FROM leader), 0),
                'evotingUnits', (SELECT count(*) FROM official_results r JOIN precincts p ON p.id = r.precinct_id
                                  WHERE r.import_id = $1 AND p.evoting AND ($2::text IS NULL OR p.region = $2))
              )::jsonb || (SELECT to_jsonb(f) FROM figures f) AS totals,
              (SELECT coalesce(json_agg(turnout ORDER BY bin), '[]') FROM turnout) AS turnout,
              (SELECT coalesce(json_agg(share ORDER BY bin), '[]') FROM share) AS "leaderShare",
              (SELECT coalesce(json_agg(cells ORDER BY i, j), '[]') FROM cells) AS cells
         FROM totals t`,
      [
        q.importId,
        q.region ?? null,
        t.candidates.map((c) => c.index),
        t.candidates.map((c) => c.n),
        q.binWidth,
        q.cellWidth,
        q.highTurnout,
      ],
    );
    const totals = Object.fromEntries(
      Object.entries(row.totals as Record<string, unknown>).map(([k, v]) => [k, v === null ? null : Number(v)]),
    ) as unknown as ForensicsTotalsRow;
    const num = <T extends object>(rows: T[]) =>
      rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])) as T);
    return { totals, turnout: num(row.turnout), leaderShare: num(row.leaderShare), cells: num(row.cells) };
  }
}
