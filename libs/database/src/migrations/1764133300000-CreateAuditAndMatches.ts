import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuditAndMatches1764133300000 implements MigrationInterface {
  name = 'CreateAuditAndMatches1764133300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Append-only log of every report state change. Each entry's hash covers the previous
      -- entry's hash; audit_head holds the newest, so deleting the tail is detected too.
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_id uuid,
        report_id uuid,
        action text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}',
        prev_hash text NOT NULL,
        hash text NOT NULL UNIQUE
      );
      CREATE INDEX audit_log_report_idx ON audit_log (report_id, id);
      CREATE TABLE audit_head (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        last_id bigint,
        last_hash text NOT NULL
      );
      INSERT INTO audit_head (last_id, last_hash) VALUES (NULL, repeat('0', 64));

      -- The matching result per precinct with a reviewed report: stored so that listing never
      -- recomputes. Values in template line order.
      CREATE TABLE precinct_matches (
        election_id uuid NOT NULL REFERENCES elections (id) ON DELETE CASCADE,
        precinct_id int NOT NULL REFERENCES precincts (id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN
          ('match', 'mismatch', 'no_official', 'conflicting_reports', 'official_changed')),
        report_ids uuid[] NOT NULL,
        observed int[],
        official int[],
        previous_official int[],
        import_id uuid REFERENCES official_imports (id) ON DELETE SET NULL,
        -- Sort key: how much the differences move the leading candidate, largest first.
        effect int NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (election_id, precinct_id)
      );
      CREATE INDEX precinct_matches_listing_idx ON precinct_matches (election_id, status, effect DESC, precinct_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE precinct_matches, audit_head, audit_log`);
  }
}
