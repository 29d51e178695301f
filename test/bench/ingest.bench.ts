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
 * Each server is measured in ROUNDS interleaved rounds; the figures are the medians.
 *
 * INGEST_CPU_PROF=<dir> writes a V8 CPU profile of the API process there (`node --cpu-prof`).
 */
import { ChildProcess, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  spawnEntry,
} from '../support/reports';
import { TestContext, TestUser } from '../support/test-context';
import { reportBench } from './bench-report';

const CLIENTS = 50;
const UPLOADS = 200;
const ROUNDS = 3;

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

  async function bareServer(durable: boolean): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'votecheck-bench-busboy-'));
    dirs.push(dir);
    const port = await freePort();
    children.push(spawnBareBusboy(port, dir, durable));
    const url = `http://127.0.0.1:${port}/upload`;
    await answering(url);
    return url;
  }

  async function apiServer(): Promise<string> {
    const port = await freePort();
    children.push(spawnEntry(ctx, 'apps/api/src/main.ts', { PORT: String(port) }, profiling()));
    await answering(`http://127.0.0.1:${port}/api/health`);
    return `http://127.0.0.1:${port}/api/elections/${election.slug}/reports`;
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

  /** UPLOADS distinct 3 MB photos through `url`, CLIENTS at a time; returns uploads per second. */
  async function run(url: string, headers: Record<string, string>, offset: number): Promise<number> {
    const bodies = Array.from({ length: UPLOADS }, (_, i) =>
      multipartReport(
        { clientReportId: randomUUID(), region: precinct.region, number: precinct.number },
        distinctJpeg(photo, offset + i),
      ),
    );
    let next = 0;
    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < bodies.length) {
          const res = await sendMultipart(url, bodies[next++], headers);
          if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${res.text}`);
        }
      }),
    );
    const perSecond = UPLOADS / (Number(process.hrtime.bigint() - start) / 1e9);
    // Bare busboy leaves its files in the page cache, for the kernel to write back later (dirty
    // pages expire after 30 s): that would slow whichever server is measured then. Every round
    // therefore ends with everything on disk, outside the time measured.
    execFileSync('sync');
    return perSecond;
  }

  it('measures ingest throughput against busboy that is as durable, and against bare busboy', async () => {
    const bareUrl = await bareServer(false);
    const durableUrl = await bareServer(true);
    const apiUrl = await apiServer();
    const auth = { authorization: `Bearer ${observer.token}` };
    // A warm-up of each, then interleaved rounds, so that a slow moment of the machine hits all three.
    let offset = 0;
    const next = () => (offset += UPLOADS);
    await run(bareUrl, {}, next());
    await run(durableUrl, {}, next());
    await run(apiUrl, auth, next());
    const rounds = { bare: [] as number[], durable: [] as number[], api: [] as number[] };
    for (let i = 0; i < ROUNDS; i++) {
      rounds.bare.push(await run(bareUrl, {}, next()));
      rounds.durable.push(await run(durableUrl, {}, next()));
      rounds.api.push(await run(apiUrl, auth, next()));
    }
    const [count] = await ctx.db.query(`SELECT count(*)::int AS n FROM reports`);
    expect(count.n).toBe((ROUNDS + 1) * UPLOADS);
    const [bare, durable, api] = [median(rounds.bare), median(rounds.durable), median(rounds.api)];
    const mb = photo.length / 1024 / 1024;
    const runs = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(', ');
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
    ]);
    process.stdout.write(
      `median of ${ROUNDS} rounds of ${UPLOADS} uploads; API ${runs(rounds.api)}; ` +
        `busboy+sha256+fsync ${runs(rounds.durable)}; bare busboy ${runs(rounds.bare)} (uploads/s)\n`,
    );
  });
});

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
