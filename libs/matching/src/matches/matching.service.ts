import { ElectionsService } from '@app/elections';
import { JobName, OnJob, Reconcile } from '@app/queue';
import { Injectable, Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { MatchesRepository, MatchOutcome } from './matches.repository';

/** A reviewed report this long without its match row lost its job (Redis flushed, job removed). */
const LOST_AFTER_SECONDS = 60;
const RECONCILE_BATCH = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Matching jobs: the whole election after each official-results import, one precinct when a
 * report of it becomes reviewed. Both are idempotent (a rerun recomputes the same rows and
 * writes nothing), so retried or duplicated jobs are harmless.
 */
@Injectable()
export class MatchingService {
  private readonly logger = new Logger(MatchingService.name);

  constructor(
    private readonly matches: MatchesRepository,
    private readonly elections: ElectionsService,
  ) {}

  @OnJob(JobName.MatchElection)
  async onMatchElection(job: Job): Promise<MatchOutcome> {
    const { electionId } = checkPayload(job, false);
    return this.matchElection(electionId);
  }

  @OnJob(JobName.MatchPrecinct)
  async onMatchPrecinct(job: Job): Promise<MatchOutcome> {
    const { electionId, precinctId } = checkPayload(job, true);
    return this.matchPrecinct(electionId, precinctId!);
  }

  /** Recomputes every precinct of the election against the latest official version. */
  async matchElection(electionId: string): Promise<MatchOutcome> {
    const started = Date.now();
    const outcome = await this.matches.match(electionId, await this.model(electionId));
    this.logger.log(
      `election ${electionId} rematched in ${Date.now() - started} ms: ${outcome.written} written, ${outcome.removed} removed`,
    );
    return outcome;
  }

  /** Recomputes one precinct (its reviewed reports against the latest official version). */
  async matchPrecinct(electionId: string, precinctId: number): Promise<MatchOutcome> {
    return this.matches.match(electionId, await this.model(electionId), precinctId);
  }

  /**
   * Matches, here and now, precincts whose reviewed reports are not in their match row a minute
   * on: the job that should have done it was lost. Matching is idempotent, so a job that is only
   * late does no harm. (A lost full rematch is redone by the next import of the election.)
   */
  @Reconcile('matching')
  async reconcile(): Promise<{ matched: number }> {
    const lost = await this.matches.unmatchedPrecincts(LOST_AFTER_SECONDS, RECONCILE_BATCH);
    for (const p of lost) await this.matchPrecinct(p.electionId, p.precinctId);
    if (lost.length > 0) this.logger.log(`matching: ${lost.length} precinct(s) matched by the reconciler`);
    return { matched: lost.length };
  }

  private async model(electionId: string) {
    return this.elections.templateOf(await this.elections.getEntityById(electionId));
  }
}

/** Job data comes from Redis: checked like any input, and a bad payload is never retried. */
function checkPayload(job: Job, needsPrecinct: boolean): { electionId: string; precinctId?: number } {
  const data = (job.data ?? {}) as { electionId?: unknown; precinctId?: unknown };
  const precinctOk = !needsPrecinct || (Number.isInteger(data.precinctId) && (data.precinctId as number) > 0);
  if (typeof data.electionId !== 'string' || !UUID.test(data.electionId) || !precinctOk) {
    throw new UnrecoverableError(`bad payload: ${JSON.stringify(job.data)}`);
  }
  return { electionId: data.electionId, precinctId: data.precinctId as number | undefined };
}
