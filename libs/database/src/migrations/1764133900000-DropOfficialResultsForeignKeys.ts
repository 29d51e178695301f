import { MigrationInterface, QueryRunner } from 'typeorm';

export class DropOfficialResultsForeignKeys1764133900000 implements MigrationInterface {
  name = 'DropOfficialResultsForeignKeys1764133900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- official_results is written only by the import, in one INSERT … SELECT that joins every
      -- row to its precinct and names the import it runs for, in the transaction that holds the
      -- election's import lock. The two per-row foreign-key checks were 2.2 s of a 4 s insert of
      -- the national file (96 k rows). Imports and precincts are never deleted (as for
      -- precinct_matches, see TunePrecinctMatches).
      ALTER TABLE official_results
        DROP CONSTRAINT official_results_import_id_fkey,
        DROP CONSTRAINT official_results_precinct_id_fkey;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE official_results
        ADD CONSTRAINT official_results_import_id_fkey FOREIGN KEY (import_id) REFERENCES official_imports (id) ON DELETE CASCADE,
        ADD CONSTRAINT official_results_precinct_id_fkey FOREIGN KEY (precinct_id) REFERENCES precincts (id) ON DELETE CASCADE;
    `);
  }
}
