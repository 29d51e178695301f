import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReviewTasks1764133500000 implements MigrationInterface {
  name = 'CreateReviewTasks1764133500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- One row per claim of a review job. Redis only carries the job; the claim, its lock expiry
      -- and its outcome live here, so any api replica can extend, submit or release it.
      CREATE TABLE review_tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        report_id uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('transcribe', 'arbitrate')),
        round int NOT NULL CHECK (round >= 1),
        job_id text NOT NULL,
        lock_token text NOT NULL,
        moderator_id uuid NOT NULL REFERENCES users (id),
        state text NOT NULL CHECK (state IN ('claimed', 'submitted', 'released', 'expired')),
        claimed_at timestamptz NOT NULL DEFAULT now(),
        lock_expires_at timestamptz NOT NULL,
        finished_at timestamptz
      );
      -- At most one live claim and one result per job, whatever Redis hands out twice.
      CREATE UNIQUE INDEX review_tasks_live_job_key ON review_tasks (job_id) WHERE state = 'claimed';
      CREATE UNIQUE INDEX review_tasks_done_job_key ON review_tasks (job_id) WHERE state = 'submitted';
      -- Double-blind: one moderator holds or gives at most one transcription per report.
      CREATE UNIQUE INDEX review_tasks_moderator_report_key ON review_tasks (report_id, moderator_id)
        WHERE state IN ('claimed', 'submitted');
      CREATE INDEX review_tasks_lapse_idx ON review_tasks (lock_expires_at) WHERE state = 'claimed';
      CREATE INDEX review_tasks_moderator_idx ON review_tasks (moderator_id, state);

      -- What a moderator entered for a task: values in template line order, or a reject.
      CREATE TABLE transcriptions (
        task_id uuid PRIMARY KEY REFERENCES review_tasks (id) ON DELETE CASCADE,
        report_id uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
        moderator_id uuid NOT NULL REFERENCES users (id),
        kind text NOT NULL CHECK (kind IN ('transcribe', 'arbitrate')),
        line_values int[],
        -- Error ratios the protocol itself breaks, as confirmed by the moderator: a finding.
        confirmed_violations text[] NOT NULL DEFAULT '{}',
        warnings text[] NOT NULL DEFAULT '{}',
        reject_reason text CHECK (reject_reason IN
          ('illegible', 'not_a_protocol', 'wrong_precinct', 'duplicate', 'other')),
        reject_text text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT transcriptions_values_or_reject CHECK ((line_values IS NULL) <> (reject_reason IS NULL))
      );
      CREATE INDEX transcriptions_report_idx ON transcriptions (report_id);
      CREATE INDEX transcriptions_moderator_idx ON transcriptions (moderator_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE transcriptions, review_tasks`);
  }
}
