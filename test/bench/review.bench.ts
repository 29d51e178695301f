/*
 * Claim + submit round trips through the HTTP API with 50 concurrent moderators, against a bare
 * BullMQ loop of 50 clients doing getNextJob → moveToCompleted on one shared Worker, same Redis.
 */
import { Queue, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { newReportsAwaitingReview, newReviewWorld, protocolValues } from '../support/review';
import { TestContext, TestUser } from '../support/test-context';
import { percentile, reportBench } from './bench-report';

const CLIENTS = 50;
const TASKS = 1500;

describe('review queue benchmark', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await TestContext.create({ env: { REVIEWS_REQUIRED: '1', LOG_LEVEL: 'silent' } });
  });
  afterAll(() => ctx.close());

  async function project(): Promise<{ latencies: number[]; perSecond: number }> {
    const admin = await ctx.newUser('admin');
    const world = await newReviewWorld(ctx, admin);
    await newReportsAwaitingReview(ctx, world, TASKS, 1);
    const moderators: TestUser[] = await Promise.all(Array.from({ length: CLIENTS }, () => ctx.newUser('moderator')));
    await ctx.api.listen(0, '127.0.0.1');
    const base = (await ctx.api.getUrl()).replace('[::1]', '127.0.0.1');
    const post = (user: TestUser, path: string, body?: object) =>
      fetch(`${base}/api/review${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
    const latencies: number[] = [];
    const values = protocolValues();
    const start = process.hrtime.bigint();
    await Promise.all(
      moderators.map(async (m) => {
        for (;;) {
          const t0 = process.hrtime.bigint();
          const res = await post(m, '/claim');
          if (res.status === 204) return;
          const task = (await res.json()) as { taskId: string };
          const done = await post(m, `/tasks/${task.taskId}/submit`, { values });
          if (done.status !== 200) throw new Error(`submit answered ${done.status}: ${await done.text()}`);
          await done.json();
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    expect(latencies.length).toBe(TASKS);
    return { latencies, perSecond: TASKS / seconds };
  }

  async function baseline(): Promise<{ latencies: number[]; perSecond: number }> {
    const connection = {
      host: new URL(ctx.env.REDIS_URL).hostname,
      port: Number(new URL(ctx.env.REDIS_URL).port || 6379),
    };
    const prefix = `${ctx.redisPrefix}-bare`;
    const queue = new Queue('bare', { connection, prefix });
    const worker = new Worker('bare', null, { connection, prefix, autorun: false, lockDuration: 60_000 });
    await queue.addBulk(
      Array.from({ length: TASKS }, (_, i) => ({ name: 'transcribe', data: { i }, opts: { removeOnComplete: true } })),
    );
    const latencies: number[] = [];
    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (;;) {
          const t0 = process.hrtime.bigint();
          const token = randomUUID();
          const job = await worker.getNextJob(token, { block: false });
          if (!job) return;
          await job.moveToCompleted({ ok: true }, token, false);
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    return { latencies, perSecond: latencies.length / seconds };
  }

  it('claims and submits with 50 concurrent moderators', async () => {
    const bare = await baseline();
    const api = await project();
    const p = (xs: number[], q: number) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        q,
      );
    reportBench('review', [
      {
        name: `claim+submit round trip p50 (${CLIENTS} moderators)`,
        value: p(api.latencies, 50),
        unit: 'ms',
        baseline: p(bare.latencies, 50),
        ratio: p(api.latencies, 50) / p(bare.latencies, 50),
      },
      {
        name: `claim+submit round trip p99 (${CLIENTS} moderators)`,
        value: p(api.latencies, 99),
        unit: 'ms',
        baseline: p(bare.latencies, 99),
        ratio: p(api.latencies, 99) / p(bare.latencies, 99),
        goal: 'p99 < 50 ms',
      },
      {
        name: `tasks done per second (${TASKS} tasks)`,
        value: api.perSecond,
        unit: 'tasks/s',
        baseline: bare.perSecond,
        ratio: api.perSecond / bare.perSecond,
        goal: '≥ 0.5× baseline',
      },
    ]);
  });
});
