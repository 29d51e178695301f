import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDiscrepancyListIndex1764133600000 implements MigrationInterface {
  name = 'CreateDiscrepancyListIndex1764133600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- The default public list mixes three statuses in one order (largest effect first): one
      -- index over just those rows lets a page be read in order without sorting the whole list.
      CREATE INDEX precinct_matches_public_idx ON precinct_matches (election_id, effect DESC, precinct_id)
        WHERE status IN ('mismatch', 'conflicting_reports', 'official_changed');
      -- Reviewed reports per precinct: what both the full and the one-precinct match read.
      CREATE INDEX reports_reviewed_idx ON reports (election_id, precinct_id) WHERE status = 'reviewed';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX precinct_matches_public_idx, reports_reviewed_idx`);
  }
}
