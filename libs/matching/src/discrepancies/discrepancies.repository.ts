import { ProtocolTemplateModel, sumToSql } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MatchStatus } from '../matches/matches.repository';

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

const WHERE = `m.election_id = $1 AND m.status = ANY($2::text[])
   AND ($3::text IS NULL OR p.region = $3) AND ($4::text IS NULL OR p.district = $4)`;

/** Reads the stored match results: the list, its photos and the summary. Nothing is recomputed. */
@Injectable()
export class DiscrepanciesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One page in the public order: largest effect on the leading candidate first, then precinct
   * id, so that pages never overlap. The default statuses read the partial listing index in order.
   */
  async page(f: MatchFilter, offset: number, limit: number): Promise<StoredMatch[]> {
    const rows: StoredMatch[] = await this.dataSource.query(
      `SELECT m.precinct_id AS "precinctId", p.region, p.district, p.number, m.status, m.effect,
              m.report_ids AS "reportIds", m.observed, m.official, m.previous_official AS previous,
              CASE WHEN m.status = 'conflicting_reports' THEN
                (SELECT array_agg(r.final_values ORDER BY array_position(m.report_ids, r.id))
                   FROM reports r WHERE r.id = ANY(m.report_ids)) END AS "byReport"
         FROM precinct_matches m JOIN precincts p ON p.id = m.precinct_id
        WHERE ${WHERE}
        ORDER BY m.effect DESC, m.precinct_id
        OFFSET $5 LIMIT $6`,
      [f.electionId, f.statuses, f.region ?? null, f.district ?? null, offset, limit],
    );
    return rows;
  }

  async count(f: MatchFilter): Promise<number> {
    const join = f.region || f.district ? 'JOIN precincts p ON p.id = m.precinct_id' : '';
    const where = join ? WHERE : `m.election_id = $1 AND m.status = ANY($2::text[])`;
    const params = join ? [f.electionId, f.statuses, f.region ?? null, f.district ?? null] : [f.electionId, f.statuses];
    const [{ n }] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM precinct_matches m ${join} WHERE ${where}`,
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

  async counts(electionId: string): Promise<Array<{ status: MatchStatus; n: number }>> {
    return this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM precinct_matches WHERE election_id = $1 GROUP BY status`,
      [electionId],
    );
  }

  /** Official minus observed per line, summed over mismatch precincts: one sum per line column. */
  async lineDeltas(electionId: string, model: ProtocolTemplateModel): Promise<number[]> {
    const sums = model.lines.map((_, i) => `coalesce(sum(official[${i + 1}] - observed[${i + 1}]), 0)::bigint`);
    const [row] = await this.dataSource.query(
      `SELECT ARRAY[${sums.join(', ')}] AS deltas FROM precinct_matches WHERE election_id = $1 AND status = 'mismatch'`,
      [electionId],
    );
    return (row.deltas as string[]).map(Number);
  }

  /** How much of the electorate the observed precincts cover, by the latest official version. */
  async coverage(
    electionId: string,
    model: ProtocolTemplateModel,
  ): Promise<{
    version: number | null;
    observedPrecincts: number;
    observedVoters: number;
    officialPrecincts: number;
    officialVoters: number;
  }> {
    const terms = model.sum('registered');
    const voters = terms ? sumToSql(terms, 'r.line_values', (n) => model.indexOf(n)) : '0';
    const [row] = await this.dataSource.query(
      `WITH latest AS (SELECT id, version FROM official_imports
                        WHERE election_id = $1 AND status = 'done' ORDER BY version DESC LIMIT 1)
       SELECT (SELECT version FROM latest) AS version,
              (SELECT count(*) FROM precinct_matches WHERE election_id = $1) AS "observedPrecincts",
              count(*) AS "officialPrecincts",
              coalesce(sum(${voters}), 0) AS "officialVoters",
              coalesce(sum(${voters}) FILTER (WHERE m.precinct_id IS NOT NULL), 0) AS "observedVoters"
         FROM official_results r
         LEFT JOIN precinct_matches m ON m.election_id = $1 AND m.precinct_id = r.precinct_id
        WHERE r.import_id = (SELECT id FROM latest)`,
      [electionId],
    );
    return {
      version: row.version === null ? null : Number(row.version),
      observedPrecincts: Number(row.observedPrecincts),
      observedVoters: Number(row.observedVoters),
      officialPrecincts: Number(row.officialPrecincts),
      officialVoters: Number(row.officialVoters),
    };
  }
}
