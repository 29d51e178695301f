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

      -- Appends entries to one stream in a single round trip: locks (or creates) the stream's
      -- head, links each entry to the one before it and moves the head. The caller sends each
      -- entry's canonical JSON (as audit-hash.ts builds it), so that the hash is the one
      -- audit:verify recomputes: sha256 of the previous hash, a newline and that JSON.
      CREATE FUNCTION audit_append(p_stream text, p_entries jsonb) RETURNS void
      LANGUAGE plpgsql AS $fn$
      DECLARE
        prev text;
        h text;
        e record;
        last bigint;
      BEGIN
        INSERT INTO audit_streams AS s (stream, last_hash) VALUES (p_stream, repeat('0', 64))
        ON CONFLICT (stream) DO UPDATE SET stream = s.stream
        RETURNING s.last_hash INTO prev;
        FOR e IN SELECT x.*
                   FROM ROWS FROM (jsonb_to_recordset(p_entries) AS (at timestamptz, actor_id uuid, report_id uuid,
                                                                     action text, data jsonb, canon text))
                        WITH ORDINALITY AS x(at, actor_id, report_id, action, data, canon, n)
                  ORDER BY x.n LOOP
          h := encode(sha256(convert_to(prev || chr(10) || e.canon, 'UTF8')), 'hex');
          INSERT INTO audit_log (stream, at, actor_id, report_id, action, data, prev_hash, hash)
          VALUES (p_stream, e.at, e.actor_id, e.report_id, e.action, e.data, prev, h)
          RETURNING id INTO last;
          prev := h;
        END LOOP;
        UPDATE audit_streams SET last_id = last, last_hash = prev WHERE stream = p_stream;
      END
      $fn$;
    `);
  }

  async down(_q: QueryRunner): Promise<void> {
    // Per-stream chains cannot be folded back into one chain without rehashing every entry.
    throw new Error(`${this.name} cannot be undone`);
  }
}
