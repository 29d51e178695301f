import { AuthUser } from '@app/accounts';
import { AuditService } from '@app/audit';
import { isUniqueViolation } from '@app/database';
import { roleAtLeast } from '@app/domain';
import {
  ConflictException,
  ForbiddenException,
  Injectable,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ReviewQueues, ReviewQueueUnavailable } from '../queue/review-queues';
import { ReviewContext } from './review-context';
import { LockedReport, OPEN_STATUSES, REVIEW_KINDS, ReviewKind, ReviewTaskRow, reviewJobId } from './review-task';
import { LockDto, ReviewTaskDto, TranscriptionsDto } from './review.dto';
import { PhotoRow, ReviewTasksRepository } from './review-tasks.repository';

/** How many jobs one claim looks at per queue before it answers "nothing for you". */
const MAX_FETCH = 20;
const SWEEP_BATCH = 100;

type Claimed = { task: ReviewTaskRow; electionId: string; photos: PhotoRow[] };
type Attempt = Claimed | 'skip' | 'discard';

/**
 * Claims, lock renewal and release of review tasks. A claim takes jobs off the Redis queue one
 * by one, and PostgreSQL decides whether this moderator may have each: jobs the moderator may
 * not take stay locked while the claim looks further (so it never sees them twice), and all go
 * back to the head of the queue afterwards.
 */
@Injectable()
export class ReviewService {
  private readonly logger = new Logger(ReviewService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tasks: ReviewTasksRepository,
    private readonly queues: ReviewQueues,
    private readonly audit: AuditService,
    private readonly context: ReviewContext,
  ) {}

  async claim(user: AuthUser, kind?: ReviewKind): Promise<ReviewTaskDto | null> {
    const kinds = kind ? [kind] : REVIEW_KINDS;
    try {
      for (let pass = 0; pass < 2; pass++) {
        for (const k of kinds) {
          const found = await this.claimFrom(k, user);
          if (found) return this.describe(found);
        }
        // Nothing waits: maybe a lock ran out and the periodic sweep has not come by yet.
        if (pass === 0 && (await this.expireLapsed()) === 0) break;
      }
      return null;
    } catch (e) {
      if (e instanceof ReviewQueueUnavailable)
        throw new ServiceUnavailableException('The review queue is unavailable; try again shortly');
      throw e;
    }
  }

  async extend(user: AuthUser, taskId: string): Promise<LockDto> {
    const task = await this.dataSource.transaction(async (m) => {
      const task = await this.heldTask(m, user, taskId);
      task.lockExpiresAt = await this.tasks.extendLock(m, task.id, this.queues.lockMs);
      return task;
    });
    // PostgreSQL's expiry is the authority; a lost Redis lock only means the stalled check may
    // put the job back, where other claims skip it while this claim lives.
    const extended = await this.queues.extend(task.kind, task.jobId, task.lockToken).catch(() => false);
    if (!extended) this.logger.warn(`Redis lock of review job ${task.jobId} was not extended`);
    return { lockExpiresAt: new Date(task.lockExpiresAt).toISOString() };
  }

  async release(user: AuthUser, taskId: string): Promise<void> {
    const task = await this.dataSource.transaction(async (m) => {
      const task = await this.heldTask(m, user, taskId);
      await this.tasks.finishTask(m, task.id, 'released');
      await this.tasks.settleUnclaimed(m, [task.reportId]);
      await this.audit.append(m, {
        action: 'task.released',
        reportId: task.reportId,
        actorId: user.id,
        data: { taskId: task.id, kind: task.kind, round: task.round },
      });
      return task;
    });
    await this.giveBack(task);
  }

  /** The transcriptions an arbiter settles; only to the task's holder or a coordinator. */
  async transcriptionsFor(user: AuthUser, taskId: string): Promise<TranscriptionsDto> {
    const task = await this.tasks.findTask(taskId);
    if (!task) throw new NotFoundException(`No review task ${taskId}`);
    if (task.moderatorId !== user.id && !roleAtLeast(user.role, 'coordinator')) {
      throw new ForbiddenException('This task belongs to another moderator');
    }
    if (task.kind !== 'arbitrate') {
      throw new ForbiddenException(
        'Transcriptions are shown for arbitration tasks only: transcription is double-blind',
      );
    }
    const rows = await this.tasks.transcriptionsOf(this.dataSource.manager, task.reportId, 'transcribe');
    const report = await this.dataSource.query(`SELECT election_id AS "electionId" FROM reports WHERE id = $1`, [
      task.reportId,
    ]);
    return this.context.transcriptions(await this.context.templateOf(report[0].electionId), rows);
  }

  /**
   * Expires claims whose lock ran out, writes `task.expired`, and puts their jobs back at the
   * head of the queue. Returns how many expired.
   */
  async expireLapsed(): Promise<number> {
    let total = 0;
    for (;;) {
      const lapsed = await this.dataSource.transaction(async (m) => {
        const rows = await this.tasks.expireLapsed(m, SWEEP_BATCH);
        await this.tasks.settleUnclaimed(m, [...new Set(rows.map((t) => t.reportId))]);
        await this.auditExpired(m, rows);
        return rows;
      });
      await Promise.all(lapsed.map((t) => this.giveBack(t)));
      total += lapsed.length;
      if (lapsed.length < SWEEP_BATCH) return total;
    }
  }

  /** The caller's claim on a task, locked for the transaction: 404, 403 or 409 otherwise. */
  async heldTask(m: EntityManager, user: AuthUser, taskId: string): Promise<ReviewTaskRow> {
    return checkHeld(await this.tasks.lockTask(m, taskId), user, taskId);
  }

  /** `heldTask`, and the task's report locked too, in one round trip (a submit needs both). */
  async heldTaskAndReport(
    m: EntityManager,
    user: AuthUser,
    taskId: string,
  ): Promise<{ task: ReviewTaskRow; report: LockedReport }> {
    const found = await this.tasks.lockTaskAndReport(m, taskId);
    return { task: checkHeld(found?.task, user, taskId), report: found!.report };
  }

  async giveBack(task: ReviewTaskRow): Promise<void> {
    await this.queues
      .giveBack(task.kind, task.jobId, task.lockToken, { reportId: task.reportId, round: task.round })
      .catch((e: Error) => this.logger.warn(`review job ${task.jobId} stays for the reconciler: ${e.message}`));
  }

  private async auditExpired(m: EntityManager, rows: ReviewTaskRow[]): Promise<void> {
    await this.audit.appendAll(
      m,
      rows.map((t) => ({
        action: 'task.expired' as const,
        reportId: t.reportId,
        actorId: null,
        data: { taskId: t.id, kind: t.kind, round: t.round, moderatorId: t.moderatorId },
      })),
    );
  }

  private async claimFrom(kind: ReviewKind, user: AuthUser): Promise<Claimed | null> {
    const skipped: Array<{ job: Job; token: string }> = [];
    try {
      for (let i = 0; i < MAX_FETCH; i++) {
        const token = randomUUID();
        const job = await this.queues.next(kind, token);
        if (!job) return null;
        const attempt = await this.attempt(kind, job, token, user);
        if (attempt === 'skip') skipped.push({ job, token });
        else if (attempt === 'discard') await this.queues.complete(kind, job.id!, token);
        else return attempt;
      }
      return null;
    } finally {
      await Promise.all(
        skipped.map(({ job, token }) =>
          this.queues.giveBack(kind, job.id!, token, job.data).catch((e: Error) => this.logger.warn(e.message)),
        ),
      );
    }
  }

  /** Decides in PostgreSQL whether this moderator gets the job; records the claim if so. */
  private async attempt(kind: ReviewKind, job: Job, token: string, user: AuthUser): Promise<Attempt> {
    const data = job.data as { reportId?: unknown; round?: unknown };
    const round = Number(data?.round);
    if (
      typeof data?.reportId !== 'string' ||
      !Number.isInteger(round) ||
      job.id !== reviewJobId(kind, data.reportId, round)
    ) {
      this.logger.warn(`review job ${job.id} has an unexpected payload; discarded`);
      return 'discard';
    }
    const reportId = data.reportId;
    try {
      return await this.dataSource.transaction(async (m): Promise<Attempt> => {
        const report = await this.tasks.lockReportForClaim(m, reportId);
        if (!report || !OPEN_STATUSES[kind].includes(report.status)) return 'discard';
        let state = await this.tasks.claimState(m, reportId, job.id!, user.id);
        if (state.jobDone) return 'discard';
        if (state.jobClaimed) {
          const lapsed = await this.tasks.expireLapsed(m, SWEEP_BATCH, job.id);
          await this.auditExpired(m, lapsed);
          // Someone still holds this job (Redis lost their lock): theirs wins, this copy goes.
          if (await this.tasks.liveClaim(m, job.id!)) return 'discard';
          if (lapsed.length > 0) state = await this.tasks.claimState(m, reportId, job.id!, user.id);
        }
        const eligible =
          kind === 'transcribe'
            ? !state.holdsOrGave
            : roleAtLeast(user.role, 'coordinator')
              ? !state.holdsOrGave
              : !state.touched;
        if (!eligible) return 'skip';
        const task = await this.tasks.insertTask(m, {
          reportId,
          kind,
          round,
          jobId: job.id!,
          lockToken: token,
          moderatorId: user.id,
          lockMs: this.queues.lockMs,
        });
        await this.audit.append(m, {
          action: 'task.claimed',
          reportId,
          actorId: user.id,
          data: { taskId: task.id, kind, round },
        });
        return { task, electionId: report.electionId, photos: report.photos };
      });
    } catch (e) {
      // The same moderator claiming two rounds of one report at the same moment.
      if (isUniqueViolation(e)) return 'skip';
      throw e;
    }
  }

  private async describe({ task, electionId, photos }: Claimed): Promise<ReviewTaskDto> {
    const model = await this.context.templateOf(electionId);
    const dto: ReviewTaskDto = {
      taskId: task.id,
      reportId: task.reportId,
      kind: task.kind,
      photos: this.context.photos(photos),
      template: model.template,
      lockExpiresAt: new Date(task.lockExpiresAt).toISOString(),
    };
    if (task.kind === 'arbitrate') {
      const rows = await this.tasks.transcriptionsOf(this.dataSource.manager, task.reportId, 'transcribe');
      Object.assign(dto, this.context.transcriptions(model, rows));
    }
    return dto;
  }
}

function checkHeld(task: ReviewTaskRow | undefined, user: AuthUser, taskId: string): ReviewTaskRow {
  if (!task) throw new NotFoundException(`No review task ${taskId}`);
  if (task.moderatorId !== user.id) throw new ForbiddenException('This task belongs to another moderator');
  if (task.state !== 'claimed') throw new ConflictException(`This task is ${task.state} already`);
  if (task.lapsed) {
    throw new ConflictException('The lock on this task ran out and the task went back to the queue');
  }
  return task;
}
