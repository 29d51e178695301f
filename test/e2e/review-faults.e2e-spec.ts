import { ChildProcess } from 'node:child_process';
import { ReviewReconciler } from '@app/review';
import IORedis from 'ioredis';
import { freePort, killChild, startRedis } from '../support/reports';
import { bearer, TestContext, TestUser } from '../support/test-context';
import {
  claim,
  eventually,
  newReportsAwaitingReview,
  newReviewWorld,
  protocolValues,
  reportStatus,
  ReviewWorld,
  submit,
} from '../support/review';

/** Long enough that no claim lapses by accident on a loaded machine; lapses are made on purpose. */
const LOCK_SECONDS = 20;

describe('review: lock expiry and restarts lose no task', () => {
  let port: number;
  let redis: ChildProcess;
  let ctx: TestContext;
  let admin: TestUser;
  let world: ReviewWorld;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    ctx = await TestContext.create({
      worker: true,
      env: {
        REDIS_URL: `redis://127.0.0.1:${port}`,
        REVIEWS_REQUIRED: '1',
        REVIEW_LOCK_SECONDS: String(LOCK_SECONDS),
      },
    });
    admin = await ctx.newUser('admin');
    world = await newReviewWorld(ctx, admin);
  });
  afterAll(async () => {
    await ctx?.close();
    if (redis) await killChild(redis);
  });

  /**
   * The worker's review reconcile task, called directly (its timer may be running a pass at the
   * same moment), retried while the worker's Redis connections come back after a restart.
   */
  const reconciled = () =>
    eventually(() => ctx.worker!.get(ReviewReconciler).reconcile(), 60_000, { retryErrors: true });

  /** Makes a claim's lock run out now, as the clock would after LOCK_SECONDS without extend. */
  const lapse = (taskId: string) =>
    ctx.db.query(`UPDATE review_tasks SET lock_expires_at = now() - interval '1 second' WHERE id = $1`, [taskId]);

  /** A claim's answer once the API reaches Redis again (503 only while it cannot). */
  const claimed = (m: TestUser) =>
    eventually(async () => {
      const res = await claim(ctx, m);
      return res.status === 503 ? undefined : res;
    }, 60_000);

  /** Claims until nothing waits, submitting each; returns the reports done. */
  async function drain(): Promise<string[]> {
    const done: string[] = [];
    for (;;) {
      const m = await ctx.newUser('moderator');
      const res = await claimed(m);
      if (res.status === 204) return done;
      expect(res.status).toBe(200);
      await submit(ctx, m, res.body.taskId, { values: protocolValues() }).expect(200);
      done.push(res.body.reportId);
    }
  }

  /** Whether Redis holds the review job of a report (transcription round 1). */
  const jobExists = async (reportId: string) => {
    const probe = new IORedis(port, '127.0.0.1');
    try {
      return (await probe.exists(`${ctx.redisPrefix}:review:transcribe:${reportId}:1`)) === 1;
    } finally {
      probe.disconnect();
    }
  };

  const runId = async () => {
    const probe = new IORedis(port, '127.0.0.1');
    try {
      return /run_id:(\w+)/.exec(await probe.info('server'))![1];
    } finally {
      probe.disconnect();
    }
  };

  it('extends a lock; a lapsed lock returns the task, and the late submit is 409', async () => {
    const [reportId] = await newReportsAwaitingReview(ctx, world, 1);
    const [a, b] = [await ctx.newUser('moderator'), await ctx.newUser('moderator')];
    const task = (await claim(ctx, a).expect(200)).body;
    const extended = await ctx
      .http()
      .post(`/api/review/tasks/${task.taskId}/extend`)
      .set(...bearer(a))
      .expect(200);
    expect(Date.parse(extended.body.lockExpiresAt)).toBeGreaterThan(Date.parse(task.lockExpiresAt));
    await ctx
      .http()
      .post(`/api/review/tasks/${task.taskId}/extend`)
      .set(...bearer(b))
      .expect(403);
    await claim(ctx, b).expect(204); // held: nobody else gets it

    await lapse(task.taskId);
    // This claim, or the worker's sweep if it comes by first, returns the task to the queue.
    const taken = await eventually(async () => {
      const res = await claim(ctx, b);
      return res.status === 200 ? res.body : undefined;
    });
    expect(taken.reportId).toBe(reportId);
    const late = await submit(ctx, a, task.taskId, { values: protocolValues() }).expect(409);
    expect(late.body.message).toMatch(/ran out|expired/);
    await ctx
      .http()
      .post(`/api/review/tasks/${task.taskId}/extend`)
      .set(...bearer(a))
      .expect(409);
    await submit(ctx, b, taken.taskId, { values: protocolValues() }).expect(200);
    expect(await reportStatus(ctx, reportId)).toBe('reviewed');
    const actions = (
      await ctx.db.query(`SELECT action FROM audit_log WHERE report_id = $1 ORDER BY id`, [reportId])
    ).map((r: { action: string }) => r.action);
    expect(actions).toEqual(['task.claimed', 'task.expired', 'task.claimed', 'task.submitted', 'report.reviewed']);
  });

  it('loses no task when Redis restarts empty', async () => {
    const reports = await newReportsAwaitingReview(ctx, world, 4);
    const holder = await ctx.newUser('moderator');
    const held = (await claim(ctx, holder).expect(200)).body;
    const waiting = reports.filter((r) => r !== held.reportId);

    const before = await runId();
    await killChild(redis);
    redis = await startRedis(port);
    expect(await runId()).not.toBe(before); // a new server, and it keeps nothing on disk

    // The reconciler (ours or the worker's timer) re-creates the three waiting jobs, not the held one.
    await reconciled();
    for (const r of waiting) expect(await jobExists(r)).toBe(true);
    expect(await jobExists(held.reportId)).toBe(false);
    expect(await ctx.db.query(`SELECT count(*)::int AS n FROM review_tasks WHERE state = 'claimed'`)).toEqual([
      { n: 1 },
    ]);
    // The holder's claim lives in PostgreSQL: the submit still counts.
    await submit(ctx, holder, held.taskId, { values: protocolValues() }).expect(200);
    const done = await drain();
    expect(done.sort()).toEqual([...waiting].sort());
    for (const r of reports) expect(await reportStatus(ctx, r)).toBe('reviewed');
  });

  it('loses no task when the worker restarts after Redis lost its jobs', async () => {
    const reports = await newReportsAwaitingReview(ctx, world, 3);
    await ctx.stopWorker();
    const client = new IORedis(port, '127.0.0.1');
    await client.flushall();
    client.disconnect();
    await claim(ctx, await ctx.newUser('moderator')).expect(204);
    await ctx.startWorker();
    await reconciled();
    expect(await reconciled()).toEqual({ expired: 0, readded: 0 }); // all back: nothing more to add
    expect((await drain()).sort()).toEqual([...reports].sort());
  });

  it('brings back a task whose holder vanished without a trace in Redis', async () => {
    const [reportId] = await newReportsAwaitingReview(ctx, world, 1);
    const a = await ctx.newUser('moderator');
    const task = (await claim(ctx, a).expect(200)).body;
    const client = new IORedis(port, '127.0.0.1');
    await client.flushall(); // the job and its lock are gone; PostgreSQL still has the claim
    client.disconnect();
    await reconciled();
    expect(await jobExists(reportId)).toBe(false); // the claim is live: nothing to bring back yet
    // When the claim lapses, the job is added again and someone else finishes it.
    await lapse(task.taskId);
    await reconciled(); // expires the claim and re-adds the job (or the worker's timer did)
    expect(await jobExists(reportId)).toBe(true);
    expect((await ctx.db.query(`SELECT state FROM review_tasks WHERE id = $1`, [task.taskId]))[0].state).toBe(
      'expired',
    );
    expect(await drain()).toEqual([reportId]);
  });
});
