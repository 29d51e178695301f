import { QueueName } from '@app/queue';
import { Queue } from 'bullmq';
import { ChildProcess } from 'node:child_process';
import {
  eventually,
  freePort,
  killChild,
  newPrecinct,
  postReport,
  protocolJpeg,
  spawnWorker,
  startRedis,
  storedFiles,
} from '../support/reports';
import { TestContext, TestUser } from '../support/test-context';

/** Every report settled for review exactly once: one audit entry, one set of review jobs. */
async function expectProcessedOnce(ctx: TestContext, reportIds: string[], photosEach: number): Promise<void> {
  const rows = await ctx.db.query(
    `SELECT r.id, r.status,
            (SELECT count(*) FROM photos p WHERE p.report_id = r.id AND p.status = 'processed')::int AS processed,
            (SELECT count(*) FROM photos p WHERE p.report_id = r.id)::int AS photos,
            (SELECT count(*) FROM audit_log a WHERE a.report_id = r.id AND a.action = 'report.processed')::int AS settled,
            (SELECT count(*) FROM outbox o WHERE o.job_name = 'transcribe' AND o.payload->>'reportId' = r.id::text)::int
              AS review_jobs
       FROM reports r WHERE r.id = ANY($1::uuid[])`,
    [reportIds],
  );
  expect(rows).toHaveLength(reportIds.length);
  for (const row of rows) {
    expect(row).toEqual({
      id: row.id,
      status: 'awaiting_review',
      processed: photosEach,
      photos: photosEach,
      settled: 1,
      review_jobs: 2,
    });
  }
}

const statuses = async (ctx: TestContext, ids: string[]): Promise<string[]> =>
  (await ctx.db.query(`SELECT status FROM reports WHERE id = ANY($1::uuid[])`, [ids])).map(
    (r: { status: string }) => r.status,
  );

describe('observer reports: Redis stopped during uploads', () => {
  let port: number;
  let redis: ChildProcess;
  let ctx: TestContext;
  let observer: TestUser;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    ctx = await TestContext.create({ worker: true, env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    observer = await ctx.newUser('observer');
  });
  afterAll(async () => {
    await ctx?.close();
    if (redis) await killChild(redis);
  });

  it('answers 202 to every upload while Redis is down and processes each once it is back', async () => {
    const admin = await ctx.newUser('admin');
    const election = await ctx.newElection(admin);
    const precinct = await newPrecinct(ctx, election.id);
    const send = async (seed: number): Promise<string> => {
      const res = await postReport(ctx, election.slug, observer, {
        region: precinct.region,
        number: precinct.number,
        photos: [{ data: await protocolJpeg({ seed, width: 600, height: 800 }) }],
      }).expect(202);
      return res.body.id;
    };
    const ids = [await send(101)];
    // Uploads are under way when Redis goes, and more come while it is away.
    const during = [send(102), send(103), send(104)];
    await killChild(redis);
    ids.push(...(await Promise.all(during)));
    for (const seed of [105, 106, 107, 108]) ids.push(await send(seed));
    const [waiting] = await ctx.db.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`);
    expect(waiting.n).toBeGreaterThanOrEqual(4);

    // It comes back empty: jobs it held are lost and found again from PostgreSQL.
    redis = await startRedis(port);
    await eventually(async () => (await statuses(ctx, ids)).every((s) => s === 'awaiting_review'), 150_000);
    await expectProcessedOnce(ctx, ids, 1);
    await eventually(async () => {
      const [left] = await ctx.db.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`);
      return left.n === 0;
    }, 30_000);
  }, 200_000);

  it('re-enqueues photo jobs that Redis lost, once, from PostgreSQL', async () => {
    const admin = await ctx.newUser('admin');
    const election = await ctx.newElection(admin);
    const precinct = await newPrecinct(ctx, election.id);
    await ctx.stopWorker();
    const res = await postReport(ctx, election.slug, observer, {
      region: precinct.region,
      number: precinct.number,
      photos: [{ data: await protocolJpeg({ seed: 111, width: 600, height: 800 }) }],
    }).expect(202);
    await ctx.relayOutbox();
    // Redis restarts empty while the job waits in it; the photo is old enough to count as lost.
    await killChild(redis);
    redis = await startRedis(port);
    await ctx.db.query(`UPDATE photos SET created_at = now() - interval '5 minutes' WHERE report_id = $1`, [
      res.body.id,
    ]);
    await ctx.startWorker();
    // Only the reconciler can bring it back (its timer runs; a direct pass would race it).
    await eventually(async () => (await statuses(ctx, [res.body.id]))[0] === 'awaiting_review', 60_000);
    await expectProcessedOnce(ctx, [res.body.id], 1);
    // With the job done, a further pass re-enqueues nothing.
    const pass = await eventually(async () => (await ctx.reconcile()).photos as { requeued: number } | undefined);
    expect(pass.requeued).toBe(0);
  }, 120_000);
});

describe('observer reports: a worker killed mid-job', () => {
  let ctx: TestContext;
  let observer: TestUser;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    ctx = await TestContext.create();
    observer = await ctx.newUser('observer');
  });
  afterAll(async () => {
    for (const worker of workers) await killChild(worker, 'SIGTERM');
    await ctx?.close();
  });

  it('processes each photo exactly once in effect after SIGKILL and a new worker', async () => {
    const admin = await ctx.newUser('admin');
    const election = await ctx.newElection(admin);
    const precinct = await newPrecinct(ctx, election.id);
    // Large enough (24 MP) that a photo is still being worked on when the process dies.
    const photos = await Promise.all(
      [201, 202, 203, 204].map(async (seed) => ({ data: await protocolJpeg({ seed, width: 4000, height: 6000 }) })),
    );
    const res = await postReport(ctx, election.slug, observer, {
      region: precinct.region,
      number: precinct.number,
      photos,
    }).expect(202);
    const id: string = res.body.id;

    const url = new URL(ctx.env.REDIS_URL);
    const queue = new Queue(QueueName.Photos, {
      prefix: ctx.redisPrefix,
      connection: { host: url.hostname, port: Number(url.port || 6379) },
    });
    try {
      workers.push(spawnWorker(ctx));
      await eventually(async () => (await queue.getActiveCount()) > 0, 60_000);
      await killChild(workers[0], 'SIGKILL');
      const [pending] = await ctx.db.query(
        `SELECT count(*)::int AS n FROM photos WHERE report_id = $1 AND status = 'pending'`,
        [id],
      );
      expect(pending.n).toBeGreaterThan(0);

      // The killed job's lock expires; the new worker's stalled check hands it out again.
      workers.push(spawnWorker(ctx));
      await eventually(async () => (await statuses(ctx, [id]))[0] === 'awaiting_review', 150_000);
    } finally {
      await queue.close();
    }
    await expectProcessedOnce(ctx, [id], 4);
    const shas: string[] = (await ctx.db.query(`SELECT sha256 FROM photos WHERE report_id = $1`, [id])).map(
      (p: { sha256: string }) => p.sha256,
    );
    const derived = (await storedFiles(ctx)).filter((f) => f.includes('/derived/'));
    for (const sha of shas) {
      expect(derived.filter((f) => f.endsWith(`${sha}.review.webp`) || f.endsWith(`${sha}.thumb.webp`))).toHaveLength(
        2,
      );
    }
    expect(derived).toHaveLength(shas.length * 2);
  }, 240_000);
});
