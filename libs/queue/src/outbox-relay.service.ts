import { APP_CONFIG, AppConfig } from '@app/config';
import { AdvisoryLock, withAdvisoryLock } from '@app/database';
import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { QueueName } from './queue-names';

const BATCH = 500;
const REDIS_TIMEOUT_MS = 5000;
/**
 * The least time between the starts of two kicked passes: kicks that come sooner wait for it,
 * and one pass (four round trips and a Redis call) moves all their rows. At 50 uploads a second
 * that is five commits a pass instead of one; a kick after a quiet moment is relayed at once,
 * so a lone import or review is not delayed.
 */
const KICK_SPACING_MS = 100;
/** Delivered rows are kept a day; looking for ones to drop once a minute is plenty. */
const PRUNE_INTERVAL_MS = 60_000;

interface PendingRow {
  id: string;
  queue: QueueName;
  job_name: string;
  job_id: string;
  payload: object;
}

/**
 * Moves outbox rows to BullMQ. Runs in every api and worker process; an advisory lock lets one
 * at a time work. `kick()` after a commit makes delivery immediate; the timer catches up after
 * Redis outages. A crash between `addBulk` and marking the rows re-adds them with the same job
 * ids, which BullMQ ignores while the job exists and handlers tolerate otherwise.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private pending?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private prunedAt = 0;
  private passStartedAt = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    const interval = Math.min(1000, this.config.reconcileIntervalMs);
    this.timer = setInterval(() => this.kick(), interval);
    this.timer.unref();
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.pending);
    await this.running;
  }

  /**
   * Asks for a relay pass; cheap to call after every commit. The first kick after a quiet
   * moment relays at once; kicks within KICK_SPACING_MS of the last pass's start, or while a
   * pass runs, share the next one: under load the relay's round trips stay a few per batch of
   * commits rather than a few per commit.
   */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.pending) return;
    const wait = this.passStartedAt + KICK_SPACING_MS - Date.now();
    if (wait <= 0) {
      this.pass();
      return;
    }
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.pass();
    }, wait);
  }

  private pass(): void {
    if (this.stopped) return;
    this.passStartedAt = Date.now();
    this.running = this.relayAll()
      .catch((e: Error) => this.logger.warn(`outbox relay paused: ${e.message}`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /**
   * Relays until the outbox is empty; resolves when done (tests await it). A pass of this
   * process that is under way (a kick's) is waited for first: it holds the relay's lock, which
   * would make this one give up at once.
   */
  async drain(): Promise<void> {
    await this.running;
    await this.relayAll();
  }

  private async relayAll(): Promise<void> {
    await withAdvisoryLock(
      this.dataSource,
      AdvisoryLock.OutboxRelay,
      async () => {
        while (!this.stopped && (await this.relayBatch()) === BATCH);
      },
      { wait: false },
    );
  }

  private async relayBatch(): Promise<number> {
    const rows: PendingRow[] = await this.dataSource.query(
      `SELECT id, queue, job_name, job_id, payload FROM outbox WHERE dispatched_at IS NULL ORDER BY id LIMIT $1`,
      [BATCH],
    );
    const byQueue = new Map<QueueName, PendingRow[]>();
    for (const row of rows) byQueue.set(row.queue, [...(byQueue.get(row.queue) ?? []), row]);
    for (const [name, queueRows] of byQueue) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      await withTimeout(
        queue.addBulk(queueRows.map((r) => ({ name: r.job_name, data: r.payload, opts: { jobId: r.job_id } }))),
        REDIS_TIMEOUT_MS,
        `Redis did not accept ${queueRows.length} job(s) for ${name}`,
      );
      await this.markDispatched(queueRows.map((r) => r.id));
    }
    if (rows.length < BATCH && Date.now() - this.prunedAt >= PRUNE_INTERVAL_MS) {
      this.prunedAt = Date.now();
      await this.dataSource.query(`DELETE FROM outbox WHERE dispatched_at < now() - interval '1 day'`);
    }
    return rows.length;
  }

  /**
   * Marks relayed rows without waiting for the WAL flush (one disk flush less per pass, next to
   * the uploads' commits, which do wait). A mark lost because PostgreSQL itself went down within
   * the WAL writer's delay relays those rows again under the same job ids, as a crash between
   * `addBulk` and the mark always could: every job's handler takes a repeat.
   */
  private async markDispatched(ids: string[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL synchronous_commit = off`);
      await manager.query(`UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
    });
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
