import { APP_CONFIG, AppConfig } from '@app/config';
import { AdvisoryLock, withAdvisoryLock } from '@app/database';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { ON_JOB, RECONCILE } from './on-job.decorator';
import { JOB_QUEUE, JobName, QueueName } from './queue-names';

/** Injection token: the queues this worker process runs processors for. */
export const PROCESSED_QUEUES = Symbol('PROCESSED_QUEUES');

type Handler = (job: Job) => Promise<unknown>;

interface Found {
  key: string;
  owner: string;
  call: () => Promise<unknown>;
  bound: Handler;
}

/** Finds every method marked with `metadataKey` on any provider. */
function discover(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
  metadataKey: symbol,
): Found[] {
  const found: Found[] = [];
  for (const wrapper of discovery.getProviders()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
    const prototype = Object.getPrototypeOf(instance);
    for (const method of scanner.getAllMethodNames(prototype)) {
      const key = reflector.get<string | undefined>(metadataKey, prototype[method]);
      if (key === undefined) continue;
      // Looked up at call time: Nest replaces a provider's placeholder instance once it is built.
      const bound: Handler = (job) => (wrapper.instance as Record<string, Handler>)[method](job);
      found.push({
        key,
        owner: `${prototype.constructor.name}.${method}`,
        bound,
        call: () => bound(undefined as never),
      });
    }
  }
  return found;
}

/**
 * Maps job names to their `@OnJob` handlers. The worker refuses to start when a job of a queue
 * it processes has no handler, or any job has two: such a job would fail only when it first runs.
 */
@Injectable()
export class JobRegistry {
  private readonly handlers = new Map<JobName, Handler>();

  constructor(
    discovery: DiscoveryService,
    scanner: MetadataScanner,
    reflector: Reflector,
    @Inject(PROCESSED_QUEUES) processed: ReadonlySet<QueueName>,
  ) {
    const problems: string[] = [];
    for (const { key, owner, bound } of discover(discovery, scanner, reflector, ON_JOB)) {
      const name = key as JobName;
      if (this.handlers.has(name)) problems.push(`job "${name}" has two handlers (second: ${owner})`);
      this.handlers.set(name, bound);
    }
    for (const name of Object.values(JobName)) {
      if (processed.has(JOB_QUEUE[name]) && !this.handlers.has(name)) {
        problems.push(`job "${name}" has no handler`);
      }
    }
    if (problems.length > 0) throw new Error(`Job handlers are wrong: ${problems.join('; ')}`);
  }

  handle(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new Error(`no handler for job "${job.name}"`);
    return handler(job);
  }
}

/**
 * Periodically runs every `@Reconcile` method, which re-enqueues from PostgreSQL state the work
 * that Redis may have lost (a flushed or failed-over Redis, a job removed by hand). One process
 * at a time, by advisory lock.
 *
 * Each task gets a deadline within a pass. A task that has not finished by then (a Redis call
 * waiting for a reconnect, a slow query) is left to finish in the background and the pass goes on
 * to the next task, so that one stuck task can neither keep the others from running nor hold the
 * shared lock until it comes back; while it is still running, later passes skip it rather than
 * start it twice.
 */
@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconcilerService.name);
  private readonly tasks: Found[];
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  /** How long a pass waits for one task before it moves on. */
  readonly taskDeadlineMs: number;

  constructor(
    discovery: DiscoveryService,
    scanner: MetadataScanner,
    reflector: Reflector,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.tasks = discover(discovery, scanner, reflector, RECONCILE);
    this.taskDeadlineMs = Math.max(5_000, 2 * config.reconcileIntervalMs);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), this.config.reconcileIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    // Tasks left running by a pass get one more deadline to finish before the connections close.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight.values()]),
      new Promise((resolve) => (timer = setTimeout(resolve, this.taskDeadlineMs))),
    ]);
    clearTimeout(timer);
  }

  /**
   * One pass over every task; returns what each re-enqueued (a count, by task name). A task that
   * failed, missed its deadline or was still running from an earlier pass has no entry; an empty
   * result means another process holds the lock.
   */
  async runOnce(): Promise<Record<string, unknown>> {
    const results: Record<string, unknown> = {};
    const pass = withAdvisoryLock(
      this.dataSource,
      AdvisoryLock.Reconciler,
      async () => {
        for (const task of this.tasks) await this.runTask(task, results);
      },
      { wait: false },
    );
    this.running = pass;
    await pass.catch((e: Error) => this.logger.warn(`reconciler skipped: ${e.message}`));
    return results;
  }

  private async runTask(task: Found, results: Record<string, unknown>): Promise<void> {
    if (this.inFlight.has(task.key)) {
      this.logger.warn(`reconcile ${task.key} skipped: still running from an earlier pass`);
      return;
    }
    const work = task.call();
    this.inFlight.set(task.key, work);
    void work.then(
      () => this.inFlight.delete(task.key),
      () => this.inFlight.delete(task.key),
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), this.taskDeadlineMs);
    });
    try {
      const result = await Promise.race([work, deadline]);
      if (result === TIMED_OUT) {
        this.logger.warn(`reconcile ${task.key} is taking over ${this.taskDeadlineMs} ms; the pass goes on without it`);
      } else {
        results[task.key] = result;
      }
    } catch (e) {
      this.logger.warn(`reconcile ${task.key} failed: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

const TIMED_OUT = Symbol('timed out');
