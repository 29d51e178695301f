import { MigrationInterface, QueryRunner } from 'typeorm';

export class DropOfficialResultsPrecinctIndex1764134000000 implements MigrationInterface {
  name = 'DropOfficialResultsPrecinctIndex1764134000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Every reader of official_results names the import (matching, changes, totals, analyses:
      -- the primary key (import_id, precinct_id) serves them all). The index on precinct_id
      -- alone served no query, and each import wrote 96 k entries into random places of it: a
      -- third of the national insert.
      DROP INDEX official_results_precinct_idx;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX official_results_precinct_idx ON official_results (precinct_id)`);
  }
}
