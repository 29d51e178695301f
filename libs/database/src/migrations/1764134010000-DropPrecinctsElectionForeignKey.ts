import { MigrationInterface, QueryRunner } from 'typeorm';

export class DropPrecinctsElectionForeignKey1764134010000 implements MigrationInterface {
  name = 'DropPrecinctsElectionForeignKey1764134010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Precincts are written only by PrecinctsRepository (the precinct and official-results
      -- imports), in one statement per file, after it has taken the election row FOR KEY SHARE
      -- (lockElection): what the foreign key checked once per row, it checks once per import.
      -- The per-row check was 0.85 s of creating the 96 k precincts of a national file.
      -- Elections are never deleted (as for official_results, see DropOfficialResultsForeignKeys).
      ALTER TABLE precincts DROP CONSTRAINT precincts_election_id_fkey;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE precincts
        ADD CONSTRAINT precincts_election_id_fkey FOREIGN KEY (election_id) REFERENCES elections (id) ON DELETE CASCADE;
    `);
  }
}
