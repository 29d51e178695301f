/*
 * Claim + submit round trips through the HTTP API with 50 concurrent moderators, against a bare
 * BullMQ loop of 50 clients doing getNextJob → moveToCompleted on one shared Worker, same Redis,
 * same process. Two phases, each for both sides:
 * - saturated: every client starts its next task the moment the last one is done. Latency then
 *   is concurrency / throughput (Little's law), so it shows capacity rather than responsiveness;
 * - paced: every client starts one task every PACE_MS (50 moderators then offer 25 tasks/s, about
 *   ten times what 50 people reading photos of protocols can enter), which shows the latency a
 *   moderator sees while 49 others work at the same time.
 * The moderators run in a child process (browsers are elsewhere too); the bare loop's clients are
 * BullMQ calls in this process. Also counted per task, since they depend little on how busy the
 * machine is: PostgreSQL and Redis round trips of this process, and its CPU time (the API's, or
 * the bare loop's; not the moderators' child process).
 * A third, saturated side measures the ceiling any HTTP design has here: the same 50 moderators
 * making two authenticated requests per task that do no review work (`GET /api/auth/me`).
 */
import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { newReportsAwaitingReview, newReviewWorld, protocolValues } from '../support/review';
import { TestContext, TestUser } from '../support/test-context';
import { BenchFigure, percentile, reportBench } from './bench-report';

const CLIENTS = 50;
const TASKS = 1500;
const PACE_MS = 2000;
const PACED_ROUNDS = 6;

interface Run {
  latencies: number[];
  perSecond: number;
  pgPerTask: number;
  redisPerTask: number;
  cpuMsPerTask: number;
}

/** Counts round trips of every pg and ioredis client in this process. */
const counted = { pg: 0, redis: 0 };
const pgQuery = Client.prototype.query;
const redisSend = Redis.prototype.sendCommand;

/**
 * Runs `clients` loops of `task` (false when nothing is left) until all stop or did `rounds`,
 * each loop starting a task every `paceMs` (0: back to back, after a random first offset).
 */
async function drive(
  clients: number,
  task: (client: number) => Promise<boolean>,
  opts: { paceMs: number; rounds: number },
): Promise<Run> {
  const latencies: number[] = [];
  const before = { ...counted, cpu: process.cpuUsage() };
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      if (opts.paceMs) await sleep(Math.random() * opts.paceMs);
      for (let round = 0; round < opts.rounds; round++) {
        const t0 = process.hrtime.bigint();
        if (!(await task(c))) return;
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        latencies.push(ms);
        if (opts.paceMs) await sleep(Math.max(0, opts.paceMs - ms));
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(before.cpu);
  const n = latencies.length;
  return {
    latencies,
    perSecond: n / seconds,
    pgPerTask: (counted.pg - before.pg) / n,
    redisPerTask: (counted.redis - before.redis) / n,
    cpuMsPerTask: (cpu.user + cpu.system) / 1000 / n,
  };
}

/**
 * The moderators' side, run in a child process as browsers would be on other machines: the
 * API's process then does only the API's work, as the bare loop does only BullMQ's. It reads
 * {base, tokens, values, paceMs, rounds, ceiling} on stdin and prints {latencies, seconds} as JSON.
 */
const MODERATORS_SCRIPT = `
let input = '';
process.stdin.on('data', (d) => (input += d)).on('end', async () => {
  const { base, tokens, values, paceMs, rounds, ceiling } = JSON.parse(input);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const post = (token, path, body) =>
    fetch(base + '/api/review' + path, {
      method: 'POST',
      headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
  const me = (token) =>
    fetch(base + '/api/auth/me', { headers: { authorization: 'Bearer ' + token } }).then((r) => {
      if (r.status !== 200) throw new Error('me answered ' + r.status);
      return r.text();
    });
  // Untimed: open each moderator's connection and warm this process up, as a browser that has
  // been working for a while would be; the bare loop's connections are open before it starts.
  await Promise.all(tokens.map(me));
  const latencies = [];
  const start = process.hrtime.bigint();
  await Promise.all(tokens.map(async (token) => {
    if (paceMs) await sleep(Math.random() * paceMs);
    for (let round = 0; round < rounds; round++) {
      const t0 = process.hrtime.bigint();
      if (ceiling) {
        // Two authenticated requests that do no review work: what HTTP alone allows per task.
        for (let i = 0; i < 2; i++) await me(token);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        continue;
      }
      const res = await post(token, '/claim');
      if (res.status === 204) return;
      if (res.status !== 200) throw new Error('claim answered ' + res.status + ': ' + (await res.text()));
      const task = await res.json();
      const done = await post(token, '/tasks/' + task.taskId + '/submit', { values });
      if (done.status !== 200) throw new Error('submit answered ' + done.status + ': ' + (await done.text()));
      await done.json();
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      latencies.push(ms);
      if (paceMs) await sleep(Math.max(0, paceMs - ms));
    }
  }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(JSON.stringify({ latencies, seconds }));
});`;

function runModerators(input: object): Promise<{ latencies: number[]; seconds: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', MODERATORS_SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`moderators exited ${code}`)),
    );
    child.stdin.end(JSON.stringify(input));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const p = (xs: number[], q: number) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    q,
  );

describe('review queue benchmark', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await TestContext.create({ env: { REVIEWS_REQUIRED: '1', LOG_LEVEL: 'silent' } });
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      counted.pg++;
      return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof pgQuery;
    Redis.prototype.sendCommand = function (this: Redis, ...args: Parameters<typeof redisSend>) {
      counted.redis++;
      return redisSend.apply(this, args);
    };
  });
  afterAll(async () => {
    Client.prototype.query = pgQuery;
    Redis.prototype.sendCommand = redisSend;
    await ctx.close();
  });

  /** 50 moderators claiming and submitting through the API until `tasks` are done. */
  async function project(tasks: number, opts: { paceMs: number; rounds: number }): Promise<Run> {
    const admin = await ctx.newUser('admin');
    const world = await newReviewWorld(ctx, admin);
    await newReportsAwaitingReview(ctx, world, tasks, 1);
    const moderators: TestUser[] = await Promise.all(Array.from({ length: CLIENTS }, () => ctx.newUser('moderator')));
    const base = (await ctx.api.getUrl()).replace('[::1]', '127.0.0.1');
    const before = { ...counted, cpu: process.cpuUsage() };
    const rounds = Number.isFinite(opts.rounds) ? opts.rounds : tasks;
    const { latencies, seconds } = await runModerators({
      base,
      tokens: moderators.map((m) => m.token),
      values: protocolValues(),
      paceMs: opts.paceMs,
      rounds,
    });
    const cpu = process.cpuUsage(before.cpu);
    const n = latencies.length;
    const run: Run = {
      latencies,
      perSecond: n / seconds,
      pgPerTask: (counted.pg - before.pg) / n,
      redisPerTask: (counted.redis - before.redis) / n,
      cpuMsPerTask: (cpu.user + cpu.system) / 1000 / n,
    };
    expect(run.latencies.length).toBe(tasks);
    return run;
  }

  /** Tasks per second when a task is two authenticated no-op requests through the same API. */
  async function httpCeiling(tasks: number): Promise<number> {
    const moderators: TestUser[] = await Promise.all(Array.from({ length: CLIENTS }, () => ctx.newUser('moderator')));
    const base = (await ctx.api.getUrl()).replace('[::1]', '127.0.0.1');
    const { latencies, seconds } = await runModerators({
      base,
      tokens: moderators.map((m) => m.token),
      paceMs: 0,
      rounds: Math.ceil(tasks / CLIENTS),
      ceiling: true,
    });
    return latencies.length / seconds;
  }

  async function baseline(tasks: number, opts: { paceMs: number; rounds: number }): Promise<Run> {
    const url = new URL(ctx.env.REDIS_URL);
    const connection = { host: url.hostname, port: Number(url.port || 6379) };
    const prefix = `${ctx.redisPrefix}-bare`;
    const queue = new Queue('bare', { connection, prefix });
    const worker = new Worker('bare', null, { connection, prefix, autorun: false, lockDuration: 60_000 });
    await queue.addBulk(
      Array.from({ length: tasks }, (_, i) => ({ name: 'transcribe', data: { i }, opts: { removeOnComplete: true } })),
    );
    const run = await drive(
      CLIENTS,
      async () => {
        const token = randomUUID();
        const job = await worker.getNextJob(token, { block: false });
        if (!job) return false;
        await job.moveToCompleted({ ok: true }, token, false);
        return true;
      },
      opts,
    );
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    return run;
  }

  function figures(phase: string, api: Run, bare: Run, goals: { p99?: string; rate?: string }): BenchFigure[] {
    const latency = (q: number, goal?: string): BenchFigure => ({
      name: `${phase}: claim+submit p${q}`,
      value: p(api.latencies, q),
      unit: 'ms',
      baseline: p(bare.latencies, q),
      ratio: p(api.latencies, q) / p(bare.latencies, q),
      goal,
    });
    const perTask = (name: string, key: 'pgPerTask' | 'redisPerTask' | 'cpuMsPerTask', unit: string) => ({
      name: `${phase}: ${name} per task`,
      value: api[key],
      unit,
      baseline: bare[key],
    });
    return [
      latency(50),
      latency(99, goals.p99),
      {
        name: `${phase}: tasks done per second`,
        value: api.perSecond,
        unit: 'tasks/s',
        baseline: bare.perSecond,
        ratio: api.perSecond / bare.perSecond,
        goal: goals.rate,
      },
      perTask('PostgreSQL round trips', 'pgPerTask', ''),
      perTask('Redis commands', 'redisPerTask', ''),
      perTask('process CPU', 'cpuMsPerTask', 'ms'),
    ];
  }

  it('claims and submits with 50 concurrent moderators', async () => {
    await ctx.api.listen(0, '127.0.0.1');
    const saturated = { paceMs: 0, rounds: Infinity };
    const paced = { paceMs: PACE_MS, rounds: PACED_ROUNDS };
    const bareSaturated = await baseline(TASKS, saturated);
    const apiSaturated = await project(TASKS, saturated);
    const barePaced = await baseline(CLIENTS * PACED_ROUNDS, paced);
    const apiPaced = await project(CLIENTS * PACED_ROUNDS, paced);
    const ceiling = await httpCeiling(TASKS);
    reportBench('review', [
      ...figures('saturated', apiSaturated, bareSaturated, {
        rate: '≥ 0.5× baseline',
      }),
      ...figures('paced', apiPaced, barePaced, {
        p99: 'p99 < 50 ms',
      }),
      {
        name: 'saturated: HTTP ceiling, two no-op requests per task',
        value: ceiling,
        unit: 'tasks/s',
        baseline: bareSaturated.perSecond,
        ratio: ceiling / bareSaturated.perSecond,
      },
    ]);
  });
});
