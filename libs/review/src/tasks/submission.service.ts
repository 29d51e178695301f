import { AuthUser } from '@app/accounts';
import { AuditEntryInput, AuditService } from '@app/audit';
import { APP_CONFIG, AppConfig } from '@app/config';
import { ProtocolTemplateModel, RatioViolation, ReportStatus } from '@app/domain';
import { job, JobName, matchJobFor, OutboxRelay, OutboxService } from '@app/queue';
import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ReviewQueues } from '../queue/review-queues';
import { ReviewContext } from './review-context';
import { transcriptionOutcome } from './review-outcome';
import { LockedReport, OPEN_STATUSES, ReviewTaskRow, TranscriptionRow } from './review-task';
import { SubmitDto, SubmitResultDto } from './review.dto';
import { ReviewTasksRepository } from './review-tasks.repository';
import { ReviewService } from './review.service';

/** A 422 that lists the broken error ratios; the review controllers answer it with the list. */
export class RatioViolationsException extends UnprocessableEntityException {
  constructor(readonly ratioViolations: RatioViolation[]) {
    super(
      `The values break ${ratioViolations.length === 1 ? 'a control ratio' : `${ratioViolations.length} control ratios`} ` +
        `(${ratioViolations.map((v) => v.expr).join('; ')}); check them, or send confirmViolations: true ` +
        `if the protocol itself breaks ${ratioViolations.length === 1 ? 'it' : 'them'}`,
    );
  }
}

interface Submitted {
  report: LockedReport;
  task: ReviewTaskRow;
  user: AuthUser;
  entry: Entry;
  /** The report's transcriptions of the task's kind, this one included. */
  entered: TranscriptionRow[];
}

interface Entry {
  values: number[] | null;
  confirmed: RatioViolation[];
  warnings: RatioViolation[];
}

/**
 * Submits a transcription or an arbitration: checks the values against the template and its
 * control ratios, records them, and moves the report on (reviewed, arbitration, rejected) in the
 * same transaction as the audit entries and the jobs that follow. The Redis job is completed
 * only after the commit, so a crash in between leaves a job that the next claim discards.
 */
@Injectable()
export class SubmissionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tasks: ReviewTasksRepository,
    private readonly review: ReviewService,
    private readonly queues: ReviewQueues,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly relay: OutboxRelay,
    private readonly context: ReviewContext,
  ) {}

  async submit(user: AuthUser, taskId: string, dto: SubmitDto): Promise<SubmitResultDto> {
    checkShape(dto);
    const { task, status, entry, queued } = await this.dataSource.transaction(async (m) => {
      const { task, report } = await this.review.heldTaskAndReport(m, user, taskId);
      if (!OPEN_STATUSES[task.kind].includes(report.status)) {
        throw new ConflictException(`The report is ${report.status} already; this task is no longer needed`);
      }
      const entry = dto.reject
        ? { values: null, confirmed: [], warnings: [] }
        : checkValues(await this.context.templateOf(report.electionId), dto);
      const entered = await this.tasks.insertTranscription(m, {
        taskId: task.id,
        reportId: report.id,
        moderatorId: user.id,
        kind: task.kind,
        values: entry.values,
        confirmedViolations: entry.confirmed.map((v) => v.id),
        warnings: entry.warnings.map((v) => v.id),
        rejectReason: dto.reject?.reason ?? null,
        rejectText: dto.reject?.text ?? null,
      });
      // Audit entries go last: the report's chain head stays locked until commit.
      const entries: AuditEntryInput[] = [];
      entries.push({
        action: dto.reject ? 'task.rejected' : 'task.submitted',
        reportId: report.id,
        actorId: user.id,
        data: {
          taskId: task.id,
          kind: task.kind,
          round: task.round,
          ...(dto.reject
            ? { reason: dto.reject.reason, ...(dto.reject.text ? { text: dto.reject.text } : {}) }
            : { confirmedViolations: entry.confirmed.map((v) => v.id), warnings: entry.warnings.map((v) => v.id) }),
        },
      });
      const { status, queued } = await this.advance(m, { report, task, user, entry, entered }, entries);
      await this.audit.appendAll(m, entries);
      return { task, status, entry, queued };
    });
    await this.queues.complete(task.kind, task.jobId, task.lockToken);
    if (queued) this.relay.kick();
    return { reportStatus: status, ratioViolations: [...entry.confirmed, ...entry.warnings] };
  }

  /** The report's next state after this entry, with its audit entries and follow-up jobs. */
  private async advance(
    m: EntityManager,
    { report, task, user, entry, entered }: Submitted,
    audit: AuditEntryInput[],
  ): Promise<{ status: ReportStatus; queued: boolean }> {
    let outcome;
    if (task.kind === 'arbitrate') {
      outcome = entry.values
        ? { status: 'reviewed' as const, finalValues: entry.values }
        : { status: 'rejected' as const };
      audit.push({
        action: 'report.arbitrated',
        reportId: report.id,
        actorId: user.id,
        data: { taskId: task.id, outcome: outcome.status },
      });
    } else {
      outcome = transcriptionOutcome(
        entered.map((t) => ({ values: t.values, rejected: t.rejectReason !== null })),
        this.config.reviewsRequired,
      );
    }
    switch (outcome.status) {
      case 'in_review':
        return { status: 'in_review', queued: false };
      case 'needs_arbitration':
        await this.tasks.setReportStatus(m, report.id, 'needs_arbitration');
        await this.outbox.add(m, job(JobName.Arbitrate, `arbitrate:${report.id}:1`, { reportId: report.id, round: 1 }));
        return { status: 'needs_arbitration', queued: true };
      case 'rejected':
        await this.tasks.setReportStatus(m, report.id, 'rejected');
        audit.push({ action: 'report.rejected', reportId: report.id, actorId: user.id, data: {} });
        return { status: 'rejected', queued: false };
      case 'reviewed':
        await this.tasks.setReviewed(m, report.id, outcome.finalValues);
        await this.outbox.add(m, matchJobFor(report.electionId, report.precinctId, report.id));
        audit.push({
          action: 'report.reviewed',
          reportId: report.id,
          actorId: user.id,
          data: { finalValues: outcome.finalValues, arbitrated: task.kind === 'arbitrate' },
        });
        return { status: 'reviewed', queued: true };
    }
  }
}

function checkShape(dto: SubmitDto): void {
  if (!!dto.values === !!dto.reject) throw new BadRequestException('Send either values or reject');
  if (dto.reject && dto.confirmViolations !== undefined) {
    throw new BadRequestException('confirmViolations goes with values, not with a reject');
  }
  if (dto.reject?.reason === 'other' && !dto.reject.text?.trim()) {
    throw new BadRequestException('reject.text is required when the reason is "other"');
  }
}

function checkValues(model: ProtocolTemplateModel, dto: SubmitDto): Entry {
  const problems = model.valueProblems(dto.values, true);
  if (problems.length > 0) throw new BadRequestException(problems.join('; '));
  const broken = model.violations(dto.values!);
  const errors = broken.filter((v) => v.severity === 'error');
  if (errors.length > 0 && dto.confirmViolations !== true) throw new RatioViolationsException(errors);
  return {
    values: model.toArray(dto.values!),
    confirmed: errors,
    warnings: broken.filter((v) => v.severity === 'warning'),
  };
}
