import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { StoredMatch } from './discrepancies.repository';

export interface StoredPrecinctMatch extends StoredMatch {
  territory: string | null;
}

/** The stored match of one precinct, for its public page. */
@Injectable()
export class PrecinctDiscrepancyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(electionId: string, precinctId: number): Promise<StoredPrecinctMatch | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT m.precinct_id AS "precinctId", p.region, p.district, p.territory, p.number, m.status, m.effect,
              m.report_ids AS "reportIds", m.observed, m.official, m.previous_official AS previous,
              CASE WHEN m.status = 'conflicting_reports' THEN
                (SELECT array_agg(r.final_values ORDER BY array_position(m.report_ids, r.id))
                   FROM reports r WHERE r.id = ANY(m.report_ids)) END AS "byReport"
         FROM precincts p JOIN precinct_matches m ON m.precinct_id = p.id
        WHERE p.election_id = $1 AND p.id = $2 AND m.election_id = $1`,
      [electionId, precinctId],
    );
    return row;
  }
}
