import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { ReviewReconciler } from '@app/review';
import IORedis from 'ioredis';
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A throw-away redis-server of this test file: nothing persisted, so a restart loses every key. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const client = new IORedis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  await eventually(
    () =>
      client.connect().then(
        () => true,
        () => undefined,
      ),
    10_000,
  );
  client.disconnect();
  return child;
}

function stopRedis(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

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
      env: { REDIS_URL: `redis://127.0.0.1:${port}`, REVIEWS_REQUIRED: '1', REVIEW_LOCK_SECONDS: '2' },
    });
    admin = await ctx.newUser('admin');
    world = await newReviewWorld(ctx, admin);
  });
  afterAll(async () => {
    await ctx?.close();
    if (redis) await stopRedis(redis);
  });

  /** The worker's review reconcile task, called directly: its timer may hold the reconciler's lock. */
  const reconciled = () => ctx.worker!.get(ReviewReconciler).reconcile();

  /** Claims until nothing waits, submitting each; returns the reports done. */
  async function drain(): Promise<string[]> {
    const done: string[] = [];
    for (;;) {
      const m = await ctx.newUser('moderator');
      const res = await claim(ctx, m);
      if (res.status === 204) return done;
      await submit(ctx, m, res.body.taskId, { values: protocolValues() }).expect(200);
      done.push(res.body.reportId);
    }
  }

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

    // No extend from here on: once the lock lapses, the task is someone else's to take.
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

    await stopRedis(redis);
    redis = await startRedis(port);
    const probe = new IORedis(port, '127.0.0.1');
    expect(await probe.dbsize()).toBe(0);
    probe.disconnect();

    // The reconciler (ours or the worker's timer) re-creates the three waiting jobs, not the held one.
    await reconciled();
    expect(await ctx.db.query(`SELECT count(*)::int AS n FROM review_tasks WHERE state = 'claimed'`)).toEqual([
      { n: 1 },
    ]);
    // The holder's claim lives in PostgreSQL: the submit still counts.
    await submit(ctx, holder, held.taskId, { values: protocolValues() }).expect(200);
    const done = await drain();
    expect(done.sort()).toEqual(reports.filter((r) => r !== held.reportId).sort());
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
    await claim(ctx, a).expect(200);
    const client = new IORedis(port, '127.0.0.1');
    await client.flushall(); // the job and its lock are gone; PostgreSQL still has the claim
    client.disconnect();
    // When the claim lapses the job is added again and someone else finishes it.
    const done = await eventually(async () => {
      await reconciled();
      const d = await drain();
      return d.length > 0 ? d : undefined;
    });
    expect(done).toEqual([reportId]);
  });
});
