import { MigrationInterface, QueryRunner } from 'typeorm';

export class TunePrecinctMatches1764133600000 implements MigrationInterface {
  name = 'TunePrecinctMatches1764133600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- The default public list mixes three statuses in one order (largest effect first): one
      -- index over just those rows lets a page be read in order without sorting the whole list.
      CREATE INDEX precinct_matches_public_idx ON precinct_matches (election_id, effect DESC, precinct_id)
        WHERE status IN ('mismatch', 'conflicting_reports', 'official_changed');
      -- Reviewed reports per precinct: what both the full and the one-precinct match read.
      CREATE INDEX reports_reviewed_idx ON reports (election_id, precinct_id) WHERE status = 'reviewed';
      -- precinct_matches is derived data: every full rematch recomputes it from reports and
      -- official_results, and the statement that writes a row has just read its keys from those
      -- tables. Three foreign-key checks per row were half the cost of a national rematch
      -- (2.4 s of 5.2 s for 96k rows). Elections, precincts and imports are never deleted.
      ALTER TABLE precinct_matches
        DROP CONSTRAINT precinct_matches_election_id_fkey,
        DROP CONSTRAINT precinct_matches_precinct_id_fkey,
        DROP CONSTRAINT precinct_matches_import_id_fkey;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE precinct_matches
        ADD CONSTRAINT precinct_matches_election_id_fkey FOREIGN KEY (election_id) REFERENCES elections (id) ON DELETE CASCADE,
        ADD CONSTRAINT precinct_matches_precinct_id_fkey FOREIGN KEY (precinct_id) REFERENCES precincts (id) ON DELETE CASCADE,
        ADD CONSTRAINT precinct_matches_import_id_fkey FOREIGN KEY (import_id) REFERENCES official_imports (id) ON DELETE SET NULL;
      DROP INDEX precinct_matches_public_idx, reports_reviewed_idx;
    `);
  }
}
