import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TemplateSql } from '../common/analysis-sql';

/** Where a group's numbers come from. */
export type EvotingSource = 'official' | 'observed' | 'official_observed';
export type VotingMode = 'paper' | 'evoting' | 'combined';

/** One group's totals: a district or a whole region, one voting mode, one source. */
export interface EvotingGroupRow {
  source: EvotingSource;
  region: string;
  district: string | null;
  regionLevel: boolean;
  mode: VotingMode;
  units: number;
  valid: number;
  lines: Array<{ n: number; votes: number; share: number }>;
  leader: number | null;
}

@Injectable()
export class EvotingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Every group total of the e-voting report in one statement. GROUPING SETS give the paper and
   * e-voting totals (grouped by the precinct flag) and the combined ones (flag rolled up), per
   * district and per region, for three sources at once: the latest official version, the reviewed
   * observer protocols (the newest per precinct) and the official numbers of those same
   * precincts, so that observers' figures are compared like for like. Sums are per line of a
   * wide `int[]`, so the whole country is one pass over one row per precinct.
   */
  async groupTotals(
    electionId: string,
    importId: string,
    t: TemplateSql,
    region: string | undefined,
  ): Promise<EvotingGroupRow[]> {
    const votes = t.candidates.map((c) => `sum(u.v[${c.index}])`).join(', ');
    const rows: Array<Omit<EvotingGroupRow, 'units' | 'valid'> & { units: number; valid: string }> =
      await this.dataSource.query(
        `WITH observed AS (
           SELECT DISTINCT ON (rep.precinct_id) rep.precinct_id, rep.final_values AS v
             FROM reports rep
            WHERE rep.election_id = $1 AND rep.status = 'reviewed' AND rep.final_values IS NOT NULL
            ORDER BY rep.precinct_id, rep.reviewed_at DESC NULLS LAST, rep.updated_at DESC
         ), official AS (
           SELECT r.precinct_id, r.line_values AS v FROM official_results r WHERE r.import_id = $2
         ), units AS (
           SELECT 'official' AS source, precinct_id, v FROM official
           UNION ALL
           SELECT 'observed', precinct_id, v FROM observed
           UNION ALL
           SELECT 'official_observed', o.precinct_id, o.v FROM official o JOIN observed USING (precinct_id)
         ), totals AS (
           SELECT u.source, p.region, p.district, p.evoting,
                  grouping(p.district) = 1 AS region_level, grouping(p.evoting) = 1 AS combined,
                  count(*)::int AS units, coalesce(sum(${t.valid('u.v')}), 0)::bigint AS valid,
                  ARRAY[${votes}]::bigint[] AS votes
             FROM units u JOIN precincts p ON p.id = u.precinct_id
            WHERE p.election_id = $1 AND ($3::text IS NULL OR p.region = $3)
            GROUP BY GROUPING SETS ((u.source, p.region, p.district, p.evoting), (u.source, p.region, p.district),
                                    (u.source, p.region, p.evoting), (u.source, p.region))
         )
         SELECT t.source, t.region, t.district, t.region_level AS "regionLevel",
                CASE WHEN t.combined THEN 'combined' WHEN t.evoting THEN 'evoting' ELSE 'paper' END AS mode,
                t.units, t.valid,
                (SELECT json_agg(json_build_object('n', c.n, 'votes', coalesce(c.votes, 0),
                          'share', coalesce(round(100.0 * c.votes / nullif(t.valid, 0), 4), 0)) ORDER BY c.ord)
                   FROM unnest($4::int[], t.votes) WITH ORDINALITY AS c (n, votes, ord)) AS lines,
                -- Ties go to the line that comes first on the ballot.
                (SELECT c.n FROM unnest($4::int[], t.votes) AS c (n, votes)
                  WHERE c.votes > 0 ORDER BY c.votes DESC, c.n LIMIT 1) AS leader
           FROM totals t
          ORDER BY t.region, t.region_level DESC,
                   nullif(regexp_replace(coalesce(t.district, ''), '\\D', '', 'g'), '')::numeric NULLS FIRST, t.district`,
        [electionId, importId, region ?? null, t.candidates.map((c) => c.n)],
      );
    return rows.map((r) => ({
      ...r,
      valid: Number(r.valid),
      lines: r.lines.map((l) => ({ ...l, votes: Number(l.votes) })),
    }));
  }
}
