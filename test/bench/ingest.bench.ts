/*
 * Report ingest: 3 MB photos POSTed by 50 concurrent clients to the API process (multer to disk,
 * SHA-256 while streaming, flush to disk, header checks, content-addressed link, one PostgreSQL
 * transaction with the report, photos, outbox and audit entry) against bare busboy servers in
 * their own processes: same client, same bodies, same disk, in this run.
 *
 * The headline ratio is like for like: a 202 of the API promises that the photo survives a power
 * cut, so its baseline is busboy doing exactly that much (SHA-256 while streaming, fsync of the
 * file, rename to its content address, fsync of that directory). The ratio against busboy that
 * only writes to the page cache is printed too: it includes the price of durability itself.
 * Each server is measured in ROUNDS interleaved rounds, each round starting with the next server;
 * the figures are the medians.
 *
 * INGEST_CPU_PROF=<dir> writes a V8 CPU profile of the API process there (`node --cpu-prof`).
 */
import { ChildProcess, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  answering,
  distinctJpeg,
  freePort,
  killChild,
  multipartReport,
  newPrecinct,
  noiseJpeg,
  sendMultipart,
  spawnBareBusboy,
  spawnBuiltApi,
} from '../support/reports';
import { TestContext, TestUser } from '../support/test-context';
import { reportBench } from './bench-report';

const CLIENTS = 50;
const UPLOADS = 200;
const ROUNDS = 3;
/** The unit of CPU times in /proc. */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString());

describe('report ingest benchmark', () => {
  let ctx: TestContext;
  let observer: TestUser;
  let election: { slug: string; id: string };
  let precinct: { region: string; number: string };
  let photo: Buffer;
  const children: ChildProcess[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    ctx = await TestContext.create({ env: { LOG_LEVEL: 'silent' } });
    const admin = await ctx.newUser('admin');
    observer = await ctx.newUser('observer');
    election = await ctx.newElection(admin);
    precinct = await newPrecinct(ctx, election.id);
    photo = await noiseJpeg(1750, 1750);
  });
  afterAll(async () => {
    for (const child of children) await killChild(child, 'SIGTERM');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await ctx.close();
  });

  async function bareServer(durable: boolean): Promise<Server> {
    const dir = mkdtempSync(join(tmpdir(), 'votecheck-bench-busboy-'));
    dirs.push(dir);
    const port = await freePort();
    const child = spawnBareBusboy(port, dir, durable);
    children.push(child);
    const url = `http://127.0.0.1:${port}/upload`;
    await answering(url);
    return { url, pid: child.pid! };
  }

  async function apiServer(): Promise<Server> {
    const { child, url } = await spawnBuiltApi(ctx, profiling());
    children.push(child);
    return { url: `${url}/api/elections/${election.slug}/reports`, pid: child.pid! };
  }

  /** Node options that write a CPU profile when INGEST_CPU_PROF names a folder (on SIGTERM, too). */
  function profiling(): string[] {
    const dir = process.env.INGEST_CPU_PROF;
    if (!dir) return [];
    mkdirSync(dir, { recursive: true });
    const exitOnTerm = join(dir, 'exit-on-sigterm.js');
    writeFileSync(exitOnTerm, "process.on('SIGTERM', () => process.exit(0));\n");
    return ['--cpu-prof', `--cpu-prof-dir=${dir}`, '-r', exitOnTerm];
  }

  /**
   * UPLOADS distinct 3 MB photos through the server, CLIENTS at a time: uploads per second, and
   * the CPU time the server's process (all its threads, user and kernel) spent per upload.
   */
  async function run(server: Server, headers: Record<string, string>, offset: number): Promise<Round> {
    const bodies = Array.from({ length: UPLOADS }, (_, i) =>
      multipartReport(
        { clientReportId: randomUUID(), region: precinct.region, number: precinct.number },
        distinctJpeg(photo, offset + i),
      ),
    );
    let next = 0;
    const cpuBefore = cpuMs(server.pid);
    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < bodies.length) {
          const res = await sendMultipart(server.url, bodies[next++], headers);
          if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${res.text}`);
        }
      }),
    );
    const perSecond = UPLOADS / (Number(process.hrtime.bigint() - start) / 1e9);
    const cpuPerUpload = (cpuMs(server.pid) - cpuBefore) / UPLOADS;
    // Bare busboy leaves its files in the page cache, for the kernel to write back later (dirty
    // pages expire after 30 s): that would slow whichever server is measured then. Every round
    // therefore ends with everything on disk, outside the time measured.
    execFileSync('sync');
    return { perSecond, cpuPerUpload };
  }

  it('measures ingest throughput against busboy that is as durable, and against bare busboy', async () => {
    const servers = { bare: await bareServer(false), durable: await bareServer(true), api: await apiServer() };
    const auth = { authorization: `Bearer ${observer.token}` };
    // A warm-up of each, then interleaved rounds, so that a slow moment of the machine hits all
    // three. Each round starts with the next server, so that each is measured once first, second
    // and third: in runs with two copies of the API, whichever came first in a fixed order was
    // often the faster one (by up to a quarter in a round), the rounds slowing down as they went.
    const names = ['bare', 'durable', 'api'] as const;
    const headersOf = (name: (typeof names)[number]) => (name === 'api' ? auth : {});
    let offset = 0;
    const next = () => (offset += UPLOADS);
    for (const name of names) await run(servers[name], headersOf(name), next());
    const rounds = { bare: [] as Round[], durable: [] as Round[], api: [] as Round[] };
    for (let i = 0; i < ROUNDS; i++) {
      for (let j = 0; j < names.length; j++) {
        const name = names[(i + j) % names.length];
        rounds[name].push(await run(servers[name], headersOf(name), next()));
      }
    }
    const [count] = await ctx.db.query(`SELECT count(*)::int AS n FROM reports`);
    expect(count.n).toBe((ROUNDS + 1) * UPLOADS);
    const rate = (xs: Round[]) => median(xs.map((r) => r.perSecond));
    const cpu = (xs: Round[]) => median(xs.map((r) => r.cpuPerUpload));
    const [bare, durable, api] = [rate(rounds.bare), rate(rounds.durable), rate(rounds.api)];
    const mb = photo.length / 1024 / 1024;
    const runs = (xs: Round[]) => xs.map((r) => r.perSecond.toFixed(1)).join(', ');
    reportBench('ingest', [
      { name: 'photo size', value: mb, unit: 'MB' },
      {
        name: `uploads/s, ${CLIENTS} conc., vs busboy+sha256+fsync`,
        value: api,
        unit: '/s',
        baseline: durable,
        ratio: api / durable,
        goal: '≥ 0.8× (like for like: both durable at 202)',
      },
      {
        name: 'uploads/s vs bare busboy (page cache only)',
        value: api,
        unit: '/s',
        baseline: bare,
        ratio: api / bare,
        goal: 'includes the price of fsync',
      },
      { name: 'ingest throughput vs busboy+sha256+fsync', value: api * mb, unit: 'MB/s', baseline: durable * mb },
      {
        // On two cores shared with the client, PostgreSQL and the kernel, this is what limits the rate.
        name: 'server CPU per upload vs busboy+sha256+fsync',
        value: cpu(rounds.api),
        unit: 'ms',
        baseline: cpu(rounds.durable),
        ratio: cpu(rounds.api) / cpu(rounds.durable),
      },
      { name: 'server CPU per upload, bare busboy', value: cpu(rounds.bare), unit: 'ms' },
    ]);
    process.stdout.write(
      `median of ${ROUNDS} rounds of ${UPLOADS} uploads; API ${runs(rounds.api)}; ` +
        `busboy+sha256+fsync ${runs(rounds.durable)}; bare busboy ${runs(rounds.bare)} (uploads/s)\n`,
    );
  });
});

interface Server {
  url: string;
  pid: number;
}

interface Round {
  perSecond: number;
  cpuPerUpload: number;
}

/** CPU time a process has used so far, every thread, user and kernel, in ms (from /proc). */
function cpuMs(pid: number): number {
  // Fields after the command name (which is in parentheses): utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
