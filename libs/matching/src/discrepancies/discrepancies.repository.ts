import { ProtocolTemplateModel, sumToSql } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MATCH_STATUSES, MatchStatus } from '../matches/matches.repository';

export interface MatchFilter {
  electionId: string;
  statuses: MatchStatus[];
  region?: string;
  district?: string;
}

export interface StoredMatch {
  precinctId: number;
  region: string;
  district: string | null;
  territory: string | null;
  number: string;
  status: MatchStatus;
  effect: number;
  reportIds: string[];
  observed: number[] | null;
  official: Array<number | null> | null;
  previous: Array<number | null> | null;
  /** conflicting_reports only: each report's final values, in reportIds order. */
  byReport: number[][] | null;
}

/**
 * The filter on precinct_matches alone: the region and district become a semi-join on the
 * election's precincts, so that an ordered index is still read in order and the page is cut
 * before any precinct is joined (a deep page then skips index entries, not joined rows).
 */
function filterSql(f: MatchFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [f.electionId, f.statuses];
  // One status as an equality: where the status is a filter (the key's included column, for
  // match) `= ANY(…)` costs a third more per row, and a count of match reads every row's key.
  let where = `m.election_id = $1 AND ${f.statuses.length === 1 ? 'm.status = ($2::text[])[1]' : 'm.status = ANY($2::text[])'}`;
  if (f.region !== undefined || f.district !== undefined) {
    params.push(f.region ?? null, f.district ?? null);
    where += ` AND m.precinct_id IN (SELECT id FROM precincts
                WHERE election_id = $1 AND ($3::text IS NULL OR region = $3) AND ($4::text IS NULL OR district = $4))`;
  }
  return { where, params };
}

/** Statuses whose effect is always 0 (a CHECK on precinct_matches). */
const ZERO_EFFECT: ReadonlySet<string> = new Set<MatchStatus>(['match', 'no_official']);

/** Whether every status asked for is one with no effect and no differing line. */
const onlyZeroEffect = (f: MatchFilter): boolean => f.statuses.every((s) => ZERO_EFFECT.has(s));

/**
 * The list order: largest effect first, then precinct id. When every status asked for has no
 * effect, that is precinct order, which the primary key (and the no_official index) return
 * without sorting; the public statuses are read in order from their partial index.
 */
function orderSql(f: MatchFilter): string {
  return onlyZeroEffect(f) ? 'm.precinct_id' : 'm.effect DESC, m.precinct_id';
}

/**
 * A stored match as `StoredMatch`, over `precinct_matches m` joined with `precincts p`. Where
 * every status asked for is one without differing lines (`match`, `no_official`), the value
 * arrays are left out (`lines` is empty either way): reading and parsing three 26-value arrays
 * per row made a 500-item page of matches a third slower (p50 36 → 28 ms, p99 53–101 → 40 ms).
 */
const storedMatchColumns = (withValues = true) => `m.precinct_id AS "precinctId", p.region, p.district,
  p.territory, p.number, m.status, m.effect, m.report_ids AS "reportIds",
  ${withValues ? 'm.observed, m.official, m.previous_official' : 'NULL::int[] AS observed, NULL::int[] AS official, NULL::int[]'} AS previous,
  CASE WHEN m.status = 'conflicting_reports' THEN
    (SELECT array_agg(r.final_values ORDER BY array_position(m.report_ids, r.id))
       FROM reports r WHERE r.id = ANY(m.report_ids)) END AS "byReport"`;

/** Reads the stored match results: the list, its photos and the summary. Nothing is recomputed. */
export interface StoredSummary {
  counts: Record<MatchStatus, number>;
  deltas: number[];
  observedPrecincts: number;
  observedVoters: number;
}

@Injectable()
export class DiscrepanciesRepository {
  private readonly totalsByImport = new Map<string, { version: number; precincts: number; voters: number }>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One page in the public order: largest effect on the leading candidate first, then precinct
   * id, so that pages never overlap (see `orderSql`).
   */
  async page(f: MatchFilter, offset: number, limit: number): Promise<StoredMatch[]> {
    const { where, params } = filterSql(f);
    const order = orderSql(f);
    const n = params.length;
    return this.dataSource.query(
      `SELECT ${storedMatchColumns(!onlyZeroEffect(f))}
         FROM (SELECT * FROM precinct_matches m WHERE ${where}
                ORDER BY ${order} OFFSET $${n + 1} LIMIT $${n + 2}) m
         JOIN precincts p ON p.id = m.precinct_id
        ORDER BY ${order}`,
      [...params, offset, limit],
    );
  }

  /** The stored match of one precinct of the election, for its public page. */
  async one(electionId: string, precinctId: number): Promise<StoredMatch | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT ${storedMatchColumns()}
         FROM precincts p JOIN precinct_matches m ON m.precinct_id = p.id
        WHERE p.election_id = $1 AND p.id = $2 AND m.election_id = $1`,
      [electionId, precinctId],
    );
    return row;
  }

  async count(f: MatchFilter): Promise<number> {
    const { where, params } = filterSql(f);
    const [{ n }] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM precinct_matches m WHERE ${where}`,
      params,
    );
    return n;
  }

  /** The processed photos of these reports, which the public list links as evidence. */
  async photosOf(reportIds: string[]): Promise<Array<{ id: string; reportId: string }>> {
    if (reportIds.length === 0) return [];
    return this.dataSource.query(
      `SELECT id, report_id AS "reportId" FROM photos
        WHERE report_id = ANY($1::uuid[]) AND status = 'processed' ORDER BY report_id, position`,
      [reportIds],
    );
  }

  /**
   * Everything the summary needs from the stored matches, in one scan of the election's rows:
   * counts per status, official minus observed per line summed over mismatches, and the
   * registered voters of the observed precincts (from the official values stored with them).
   */
  async summary(electionId: string, model: ProtocolTemplateModel): Promise<StoredSummary> {
    const counts = MATCH_STATUSES.map((s) => `count(*) FILTER (WHERE status = '${s}')::int AS "${s}"`);
    const deltas = model.lines.map(
      (_, i) => `coalesce(sum(official[${i + 1}] - observed[${i + 1}]) FILTER (WHERE status = 'mismatch'), 0)::bigint`,
    );
    const [row] = await this.dataSource.query(
      `SELECT ${counts.join(', ')}, ARRAY[${deltas.join(', ')}] AS deltas,
              count(*)::int AS "observedPrecincts", coalesce(sum(${this.votersSql(model, 'official')}), 0)::bigint AS "observedVoters"
         FROM precinct_matches WHERE election_id = $1`,
      [electionId],
    );
    return {
      counts: Object.fromEntries(MATCH_STATUSES.map((s) => [s, row[s]])) as Record<MatchStatus, number>,
      deltas: (row.deltas as string[]).map(Number),
      observedPrecincts: row.observedPrecincts,
      observedVoters: Number(row.observedVoters),
    };
  }

  /**
   * Precincts and registered voters of the latest official version. A done version never
   * changes, so its totals are kept per import id: the summary then reads only the matches.
   */
  async officialTotals(
    electionId: string,
    model: ProtocolTemplateModel,
  ): Promise<{ version: number | null; precincts: number; voters: number }> {
    const [latest] = await this.dataSource.query(
      `SELECT id, version FROM official_imports WHERE election_id = $1 AND status = 'done' ORDER BY version DESC LIMIT 1`,
      [electionId],
    );
    if (!latest) return { version: null, precincts: 0, voters: 0 };
    let totals = this.totalsByImport.get(latest.id);
    if (!totals) {
      const [row] = await this.dataSource.query(
        `SELECT count(*)::int AS precincts, coalesce(sum(${this.votersSql(model, 'line_values')}), 0)::bigint AS voters
           FROM official_results WHERE import_id = $1`,
        [latest.id],
      );
      totals = { version: Number(latest.version), precincts: row.precincts, voters: Number(row.voters) };
      this.totalsByImport.set(latest.id, totals);
    }
    return totals;
  }

  private votersSql(model: ProtocolTemplateModel, column: string): string {
    const terms = model.sum('registered');
    return terms ? sumToSql(terms, column, (n) => model.indexOf(n)) : '0';
  }
}
