/*
 * Report ingest: 3 MB photos POSTed by 50 concurrent clients to the API process (multer to disk,
 * SHA-256 while streaming, flush to disk, header checks, content-addressed link, one PostgreSQL
 * transaction with the outbox) against a bare busboy server process that streams each file to
 * disk and answers 202: same client, same bodies, same disk, in this run. A second baseline
 * flushes each file to disk first (the durability a 202 promises), to show what that part costs.
 */
import { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
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
    children.push(spawnEntry(ctx, 'apps/api/src/main.ts', { PORT: String(port) }));
    await answering(`http://127.0.0.1:${port}/api/health`);
    return `http://127.0.0.1:${port}/api/elections/${election.slug}/reports`;
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
    return UPLOADS / (Number(process.hrtime.bigint() - start) / 1e9);
  }

  it('measures ingest throughput against a bare busboy-to-disk server', async () => {
    const bareUrl = await bareServer(false);
    const durableUrl = await bareServer(true);
    const apiUrl = await apiServer();
    const auth = { authorization: `Bearer ${observer.token}` };
    // A warm-up of each, then the measured runs.
    await run(bareUrl, {}, 0);
    await run(apiUrl, auth, 1_000);
    const baseline = await run(bareUrl, {}, 2_000);
    const flushed = await run(durableUrl, {}, 3_000);
    const project = await run(apiUrl, auth, 4_000);
    const mb = photo.length / 1024 / 1024;
    const [count] = await ctx.db.query(`SELECT count(*)::int AS n FROM reports`);
    expect(count.n).toBe(2 * UPLOADS);
    reportBench('ingest', [
      { name: 'photo size', value: mb, unit: 'MB' },
      {
        name: `uploads/s, ${CLIENTS} concurrent, vs bare busboy`,
        value: project,
        unit: '/s',
        baseline,
        ratio: project / baseline,
        goal: '≥ 0.8×',
      },
      {
        name: 'uploads/s vs busboy + flush to disk',
        value: project,
        unit: '/s',
        baseline: flushed,
        ratio: project / flushed,
      },
      { name: 'ingest throughput vs bare busboy', value: project * mb, unit: 'MB/s', baseline: baseline * mb },
    ]);
  });
});
