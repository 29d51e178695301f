import { ReportStatus } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { LockedReport, ReviewKind, ReviewTaskRow, TranscriptionRow } from './review-task';

/** The columns of a ReviewTaskRow, of the table or of `alias`. */
const taskColumns = (alias?: string) => {
  const t = alias ? `${alias}.` : '';
  return `${t}id, ${t}report_id AS "reportId", ${t}kind, ${t}round, ${t}job_id AS "jobId",
    ${t}lock_token AS "lockToken", ${t}moderator_id AS "moderatorId", ${t}state, ${t}claimed_at AS "claimedAt",
    ${t}lock_expires_at AS "lockExpiresAt", ${t}lock_expires_at <= now() AS lapsed`;
};
const TASK_COLUMNS = taskColumns();

export interface NewTask {
  reportId: string;
  kind: ReviewKind;
  round: number;
  jobId: string;
  lockToken: string;
  moderatorId: string;
  lockMs: number;
}

export interface PhotoRow {
  id: string;
  width: number | null;
  height: number | null;
}

export interface ClaimState {
  /** A transcription for this very job is in already. */
  jobDone: boolean;
  /** Someone holds a claim on this job (its lock may have run out). */
  jobClaimed: boolean;
  holdsOrGave: boolean;
  touched: boolean;
}

export interface NewTranscription {
  taskId: string;
  reportId: string;
  moderatorId: string;
  kind: ReviewKind;
  values: number[] | null;
  confirmedViolations: string[];
  warnings: string[];
  rejectReason: string | null;
  rejectText: string | null;
}

/** Review tasks and their transcriptions (one aggregate), and the report rows they change. */
@Injectable()
export class ReviewTasksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Locks the report for the transaction (claims and submits of one report are serialized) and
   * reads the processed photos a claim shows, in the same round trip.
   */
  async lockReportForClaim(
    m: EntityManager,
    reportId: string,
  ): Promise<(LockedReport & { photos: PhotoRow[] }) | undefined> {
    const [row] = await m.query(
      `SELECT r.id, r.election_id AS "electionId", r.precinct_id AS "precinctId", r.status,
              (SELECT coalesce(json_agg(json_build_object('id', p.id, 'width', p.width, 'height', p.height)
                                        ORDER BY p.position), '[]')
                 FROM photos p WHERE p.report_id = r.id AND p.status = 'processed') AS photos
         FROM reports r WHERE r.id = $1 FOR UPDATE OF r`,
      [reportId],
    );
    return row;
  }

  /**
   * A task and its report, both locked for the transaction, in one round trip. Rows are locked
   * in the order of the FOR UPDATE list, task before report, as `lockTask` then `lockReport` do.
   */
  async lockTaskAndReport(
    m: EntityManager,
    taskId: string,
  ): Promise<{ task: ReviewTaskRow; report: LockedReport } | undefined> {
    const [row] = await m.query(
      `SELECT ${taskColumns('t')},
              r.election_id AS "electionId", r.precinct_id AS "precinctId", r.status AS "reportStatus"
         FROM review_tasks t JOIN reports r ON r.id = t.report_id
        WHERE t.id = $1 FOR UPDATE OF t, r`,
      [taskId],
    );
    if (!row) return undefined;
    const { electionId, precinctId, reportStatus, ...task } = row;
    return { task, report: { id: task.reportId, electionId, precinctId, status: reportStatus } };
  }

  async setReportStatus(m: EntityManager, reportId: string, status: ReportStatus): Promise<void> {
    await m.query(`UPDATE reports SET status = $2, updated_at = now() WHERE id = $1`, [reportId, status]);
  }

  async setReviewed(m: EntityManager, reportId: string, finalValues: number[]): Promise<void> {
    await m.query(
      `UPDATE reports SET status = 'reviewed', final_values = $2, reviewed_at = now(), updated_at = now() WHERE id = $1`,
      [reportId, finalValues],
    );
  }

  /**
   * Everything a claim must know about a job and the claiming moderator, in one read of the
   * report's tasks. Read under the report's lock, so no claim of this report can appear meanwhile.
   */
  async claimState(m: EntityManager, reportId: string, jobId: string, moderatorId: string): Promise<ClaimState> {
    const [row] = await m.query(
      `SELECT coalesce(bool_or(job_id = $2 AND state = 'submitted'), false) AS "jobDone",
              coalesce(bool_or(job_id = $2 AND state = 'claimed'), false) AS "jobClaimed",
              coalesce(bool_or(moderator_id = $3 AND state IN ('claimed', 'submitted')), false) AS "holdsOrGave",
              coalesce(bool_or(moderator_id = $3), false) AS touched
         FROM review_tasks WHERE report_id = $1`,
      [reportId, jobId, moderatorId],
    );
    return row;
  }

  /** The live claim on a job, if any (lapsed or not). */
  async liveClaim(m: EntityManager, jobId: string): Promise<ReviewTaskRow | undefined> {
    const [row] = await m.query(
      `SELECT ${TASK_COLUMNS} FROM review_tasks WHERE job_id = $1 AND state = 'claimed' FOR UPDATE`,
      [jobId],
    );
    return row;
  }

  /**
   * Records a claim and, for the first claim of a report, marks it in review: one statement, as
   * claims are on every moderator's critical path.
   */
  async insertTask(m: EntityManager, t: NewTask): Promise<ReviewTaskRow> {
    const [row] = await m.query(
      `WITH t AS (
         INSERT INTO review_tasks (report_id, kind, round, job_id, lock_token, moderator_id, state, lock_expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'claimed', now() + $7 * interval '1 millisecond')
         RETURNING *),
       r AS (
         UPDATE reports SET status = 'in_review', updated_at = now() WHERE id = $1 AND status = 'awaiting_review')
       SELECT ${TASK_COLUMNS} FROM t`,
      [t.reportId, t.kind, t.round, t.jobId, t.lockToken, t.moderatorId, t.lockMs],
    );
    return row;
  }

  async lockTask(m: EntityManager, taskId: string): Promise<ReviewTaskRow | undefined> {
    const [row] = await m.query(`SELECT ${TASK_COLUMNS} FROM review_tasks WHERE id = $1 FOR UPDATE`, [taskId]);
    return row;
  }

  async findTask(taskId: string): Promise<ReviewTaskRow | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${TASK_COLUMNS} FROM review_tasks WHERE id = $1`, [taskId]);
    return row;
  }

  async extendLock(m: EntityManager, taskId: string, lockMs: number): Promise<Date> {
    const [row] = await updated<{ lockExpiresAt: Date }>(
      m,
      `UPDATE review_tasks SET lock_expires_at = now() + $2 * interval '1 millisecond' WHERE id = $1
       RETURNING lock_expires_at AS "lockExpiresAt"`,
      [taskId, lockMs],
    );
    return row.lockExpiresAt;
  }

  async finishTask(m: EntityManager, taskId: string, state: 'submitted' | 'released' | 'expired'): Promise<void> {
    await m.query(`UPDATE review_tasks SET state = $2, finished_at = now() WHERE id = $1`, [taskId, state]);
  }

  /**
   * A report nobody is working on any more (every claim released or lapsed, nothing transcribed)
   * goes back from `in_review` to `awaiting_review`, so that its observer sees it waiting again.
   */
  async settleUnclaimed(m: EntityManager, reportIds: string[]): Promise<void> {
    if (reportIds.length === 0) return;
    await m.query(
      `UPDATE reports r SET status = 'awaiting_review', updated_at = now()
        WHERE r.id = ANY($1::uuid[]) AND r.status = 'in_review'
          AND NOT EXISTS (SELECT 1 FROM review_tasks t WHERE t.report_id = r.id AND t.state IN ('claimed', 'submitted'))`,
      [reportIds],
    );
  }

  /**
   * Marks claims whose lock ran out as expired and returns them. SKIP LOCKED lets every process
   * sweep at once without waiting on each other or on a submit in flight.
   */
  async expireLapsed(m: EntityManager, limit: number, jobId?: string): Promise<ReviewTaskRow[]> {
    return updated(
      m,
      `UPDATE review_tasks SET state = 'expired', finished_at = now()
        WHERE id IN (SELECT id FROM review_tasks
                      WHERE state = 'claimed' AND lock_expires_at <= now() AND ($2::text IS NULL OR job_id = $2)
                      ORDER BY lock_expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING ${TASK_COLUMNS}`,
      [limit, jobId ?? null],
    );
  }

  /**
   * Stores a submitted transcription and closes its task, in one statement, which also answers
   * every transcription of the report of the same kind, the new one last (the CTE's row is not
   * yet visible to the statement's own SELECT, hence the UNION).
   */
  async insertTranscription(m: EntityManager, t: NewTranscription): Promise<TranscriptionRow[]> {
    return m.query(
      `WITH tr AS (
         INSERT INTO transcriptions (task_id, report_id, moderator_id, kind, line_values, confirmed_violations,
                                     warnings, reject_reason, reject_text)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         RETURNING task_id, moderator_id, line_values, reject_reason, reject_text),
       fin AS (UPDATE review_tasks SET state = 'submitted', finished_at = now() WHERE id = $1)
       SELECT task_id AS "taskId", moderator_id AS "moderatorId", line_values AS values,
              reject_reason AS "rejectReason", reject_text AS "rejectText"
         FROM (SELECT 0 AS k, created_at, task_id, moderator_id, line_values, reject_reason, reject_text
                 FROM transcriptions WHERE report_id = $2 AND kind = $4
               UNION ALL
               SELECT 1, now(), task_id, moderator_id, line_values, reject_reason, reject_text FROM tr) x
        ORDER BY k, created_at, task_id`,
      [
        t.taskId,
        t.reportId,
        t.moderatorId,
        t.kind,
        t.values,
        t.confirmedViolations,
        t.warnings,
        t.rejectReason,
        t.rejectText,
      ],
    );
  }

  async transcriptionsOf(m: EntityManager, reportId: string, kind: ReviewKind): Promise<TranscriptionRow[]> {
    return m.query(
      `SELECT task_id AS "taskId", moderator_id AS "moderatorId", line_values AS values,
              reject_reason AS "rejectReason", reject_text AS "rejectText"
         FROM transcriptions WHERE report_id = $1 AND kind = $2 ORDER BY created_at, task_id`,
      [reportId, kind],
    );
  }

  /**
   * Review jobs that PostgreSQL says must exist: every round of a report waiting for
   * transcriptions, and the arbitration of a report that needs it, minus those done or held.
   */
  async openJobs(
    reviewsRequired: number,
    limit: number,
  ): Promise<Array<{ kind: ReviewKind; jobId: string; reportId: string; round: number }>> {
    return this.dataSource.query(
      `SELECT o.kind, o.job_id AS "jobId", o.report_id AS "reportId", o.round
         FROM (SELECT 'transcribe' AS kind, r.id AS report_id, k AS round, 'transcribe:' || r.id || ':' || k AS job_id,
                      r.created_at
                 FROM reports r CROSS JOIN generate_series(1, $1::int) k
                WHERE r.status IN ('awaiting_review', 'in_review')
               UNION ALL
               SELECT 'arbitrate', r.id, 1, 'arbitrate:' || r.id || ':1', r.created_at
                 FROM reports r WHERE r.status = 'needs_arbitration') o
        WHERE NOT EXISTS (SELECT 1 FROM review_tasks t WHERE t.job_id = o.job_id AND t.state IN ('claimed', 'submitted'))
        ORDER BY o.created_at, o.job_id
        LIMIT $2`,
      [reviewsRequired, limit],
    );
  }
}

/** Rows of an UPDATE … RETURNING: TypeORM's postgres driver answers those with [rows, count]. */
async function updated<T>(m: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = (await m.query(sql, params)) as [T[], number];
  return rows;
}
