import { APP_CONFIG, AppConfig } from '@app/config';
import { InjectQueue } from '@nestjs/bullmq';
import { bullConnectionOptions, JobName, QueueName, withTimeout } from '@app/queue';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { ReviewKind } from '../tasks/review-task';

/** Redis keeps a claimed job locked a little longer than PostgreSQL says, so that our own
 * expiry sweep, not BullMQ's stalled check, normally returns it (with the holder's token). */
export const LOCK_GRACE_MS = 2000;
const REDIS_TIMEOUT_MS = 5000;

export const QUEUE_OF_KIND: Readonly<Record<ReviewKind, QueueName>> = {
  transcribe: QueueName.Review,
  arbitrate: QueueName.Arbitration,
};
const JOB_OF_KIND: Readonly<Record<ReviewKind, JobName>> = {
  transcribe: JobName.Transcribe,
  arbitrate: JobName.Arbitrate,
};

export class ReviewQueueUnavailable extends Error {}

/**
 * The manually fetched review queues: one processor-less BullMQ Worker per queue and process.
 * Moderators' claims take jobs with `getNextJob`; every later step (extend, complete, return to
 * wait) works from the job id and lock token stored in PostgreSQL, so any replica can do it.
 * The stalled check runs here, since without `worker.run()` nothing else would return jobs
 * whose holder vanished.
 */
@Injectable()
export class ReviewQueues implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ReviewQueues.name);
  private readonly workers = new Map<ReviewKind, Worker>();
  readonly lockMs: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QueueName.Review) private readonly transcribeQueue: Queue,
    @InjectQueue(QueueName.Arbitration) private readonly arbitrateQueue: Queue,
  ) {
    this.lockMs = config.reviewLockSeconds * 1000;
  }

  onModuleInit(): void {
    for (const kind of Object.keys(QUEUE_OF_KIND) as ReviewKind[]) {
      const worker = new Worker(QUEUE_OF_KIND[kind], null, {
        autorun: false,
        prefix: this.config.redisPrefix,
        connection: bullConnectionOptions(this.config.redisUrl),
        lockDuration: this.lockMs + LOCK_GRACE_MS,
        stalledInterval: Math.min(30_000, Math.max(1000, this.lockMs / 2)),
        // Abandoned review tasks are normal (a closed laptop); they must come back, never fail.
        maxStalledCount: 1_000_000_000,
        removeOnComplete: { count: 0 },
        removeOnFail: { age: 14 * 24 * 3600 },
      });
      worker.on('error', (e) => this.logger.warn(`review queue ${worker.name}: ${e.message}`));
      void worker.startStalledCheckTimer().catch((e: Error) => this.logger.warn(`stalled check: ${e.message}`));
      this.workers.set(kind, worker);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.close(true).catch(() => undefined)));
  }

  /** The next waiting job, locked with `token`, or undefined when none waits. Never blocks. */
  async next(kind: ReviewKind, token: string): Promise<Job | undefined> {
    return this.redis(this.worker(kind).getNextJob(token, { block: false }), 'fetch a review task');
  }

  /** Renews the job's lock; false when the token no longer holds it. */
  async extend(kind: ReviewKind, jobId: string, token: string): Promise<boolean> {
    const result = await this.redis(this.job(kind, jobId).extendLock(token, this.lockMs + LOCK_GRACE_MS), 'extend');
    return Number(result) === 1;
  }

  /**
   * Completes and removes the job (its work is in PostgreSQL now; keeping it would only make a
   * later re-add of the same id a silent no-op). A job already gone or taken over is left alone.
   */
  async complete(kind: ReviewKind, jobId: string, token: string): Promise<void> {
    try {
      await this.redis(this.job(kind, jobId).moveToCompleted(null, token, false), 'complete');
    } catch (e) {
      this.logger.warn(`review job ${jobId} not completed in Redis: ${(e as Error).message}`);
    }
  }

  /**
   * Hands a held job back to the front of the queue. When Redis no longer has it (flushed,
   * restarted) it is added again; when the lock is already gone BullMQ's stalled check returns it.
   */
  async giveBack(kind: ReviewKind, jobId: string, token: string, data: object): Promise<void> {
    try {
      await this.redis(this.job(kind, jobId).moveToWait(token), 'return a review task');
    } catch (e) {
      const message = (e as Error).message;
      if (/Missing key/i.test(message)) {
        await this.add(kind, [{ jobId, data }]).catch((err: Error) =>
          this.logger.warn(`review job ${jobId} not re-added: ${err.message}`),
        );
      } else {
        this.logger.warn(`review job ${jobId} not returned to wait: ${message}`);
      }
    }
  }

  /** Adds jobs by deterministic id; ids that exist are left as they are. */
  async add(kind: ReviewKind, jobs: Array<{ jobId: string; data: object }>): Promise<void> {
    if (jobs.length === 0) return;
    await this.redis(
      this.queue(kind).addBulk(jobs.map((j) => ({ name: JOB_OF_KIND[kind], data: j.data, opts: { jobId: j.jobId } }))),
      'add review tasks',
    );
  }

  /** For each job id: whether Redis has it, and whether it is finished (completed or failed). */
  async states(kind: ReviewKind, jobIds: string[]): Promise<Array<'missing' | 'finished' | 'live'>> {
    if (jobIds.length === 0) return [];
    const worker = this.worker(kind);
    const client = (await this.redis(worker.client, 'connect')) as unknown as IORedis;
    const pipeline = client.pipeline();
    for (const id of jobIds) pipeline.hmget(worker.toKey(id), 'timestamp', 'finishedOn');
    const replies = (await this.redis(pipeline.exec(), 'read review task states')) ?? [];
    return replies.map(([error, fields]) => {
      if (error) throw error;
      const [timestamp, finishedOn] = fields as Array<string | null>;
      if (timestamp === null) return 'missing';
      return finishedOn ? 'finished' : 'live';
    });
  }

  /** Deletes a finished job so that its id can be added again. */
  async removeFinished(kind: ReviewKind, jobId: string): Promise<void> {
    await this.redis(this.queue(kind).remove(jobId), 'remove a finished review task');
  }

  private queue(kind: ReviewKind): Queue {
    return kind === 'transcribe' ? this.transcribeQueue : this.arbitrateQueue;
  }

  private worker(kind: ReviewKind): Worker {
    const worker = this.workers.get(kind);
    if (!worker) throw new Error('review queues are not started');
    return worker;
  }

  /** A handle on a job by id, without reading it from Redis: every call below needs only the id. */
  private job(kind: ReviewKind, jobId: string): Job {
    return new Job(this.worker(kind), JOB_OF_KIND[kind], {}, { removeOnComplete: true }, jobId);
  }

  private redis<T>(work: Promise<T>, what: string): Promise<T> {
    return withTimeout(work, REDIS_TIMEOUT_MS, `Redis did not answer (${what})`).catch((e: Error) => {
      if (/did not answer/.test(e.message)) throw new ReviewQueueUnavailable(e.message);
      throw e;
    });
  }
}
