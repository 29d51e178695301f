import { MigrationInterface, QueryRunner } from 'typeorm';

export class ChainAuditPerStream1764133800000 implements MigrationInterface {
  name = 'ChainAuditPerStream1764133800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- One hash chain per stream instead of one for the whole log. A stream is a report (its id)
      -- or 'global' for entries without one. Every write to a report already locks the report's
      -- row, so locking that report's chain head adds no waiting; the single head before made
      -- every claim and submit in the system wait for one another's commit.
      -- Entries written so far stay in the one chain they were hashed in, now the 'global' stream.
      ALTER TABLE audit_log ADD COLUMN stream text;
      UPDATE audit_log SET stream = 'global';
      ALTER TABLE audit_log ALTER COLUMN stream SET NOT NULL;
      CREATE INDEX audit_log_stream_idx ON audit_log (stream, id);
      CREATE TABLE audit_streams (
        stream text PRIMARY KEY,
        last_id bigint,
        last_hash text NOT NULL
      );
      INSERT INTO audit_streams (stream, last_id, last_hash) SELECT 'global', last_id, last_hash FROM audit_head;
      DROP TABLE audit_head;
    `);
  }

  async down(_q: QueryRunner): Promise<void> {
    // Per-stream chains cannot be folded back into one chain without rehashing every entry.
    throw new Error(`${this.name} cannot be undone`);
  }
}
