/*
 * Peak resident memory of the API process while 50 clients each upload one 25 MB photo at once,
 * against a bare busboy-to-disk server doing the same, both as their own processes, measured in
 * this run. Memory storage would need 50 × 25 MB = 1.25 GB; streaming keeps it flat.
 */
import { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  answering,
  distinctJpeg,
  eventually,
  freePort,
  killChild,
  multipartReport,
  newPrecinct,
  noiseJpeg,
  residentMb,
  sendMultipart,
  spawnBareBusboy,
  spawnBuiltApi,
} from '../support/reports';
import { TestContext } from '../support/test-context';
import { reportBench } from './bench-report';

const CLIENTS = 50;

/** Sends every body at once while sampling the process's resident memory; returns the peak. */
async function peakDuring(
  pid: number,
  url: string,
  bodies: ReturnType<typeof multipartReport>[],
  headers: Record<string, string>,
): Promise<number> {
  let peak = residentMb(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, residentMb(pid))), 20);
  try {
    const answers = await Promise.all(bodies.map((b) => sendMultipart(url, b, headers)));
    const wrong = answers.find((a) => a.status !== 202);
    if (wrong) throw new Error(`upload answered ${wrong.status}: ${wrong.text}`);
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, residentMb(pid));
}

describe('upload memory benchmark', () => {
  let ctx: TestContext;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    ctx = await TestContext.create({ env: { LOG_LEVEL: 'silent' } });
  });
  afterAll(async () => {
    for (const child of children) await killChild(child, 'SIGTERM');
    await ctx.close();
  });

  it('keeps the API flat under 50 concurrent 25 MB uploads, against bare busboy', async () => {
    const admin = await ctx.newUser('admin');
    const observer = await ctx.newUser('observer');
    const election = await ctx.newElection(admin);
    const precinct = await newPrecinct(ctx, election.id);
    const photo = await noiseJpeg(5000, 5000);
    expect(photo.length).toBeLessThan(25 * 1024 * 1024);
    const bodies = (offset: number) =>
      Array.from({ length: CLIENTS }, (_, i) =>
        multipartReport(
          { clientReportId: randomUUID(), region: precinct.region, number: precinct.number },
          distinctJpeg(photo, offset + i),
        ),
      );

    const dir = mkdtempSync(join(tmpdir(), 'votecheck-bench-rss-'));
    const barePort = await freePort();
    const bare = spawnBareBusboy(barePort, dir, false);
    children.push(bare);
    const { child: api, url } = await spawnBuiltApi(ctx);
    children.push(api);
    try {
      const bareUrl = `http://127.0.0.1:${barePort}/upload`;
      const apiUrl = `${url}/api/elections/${election.slug}/reports`;
      await answering(bareUrl);
      const auth = { authorization: `Bearer ${observer.token}` };
      const idle = { bare: residentMb(bare.pid!), api: residentMb(api.pid!) };
      const baseline = await peakDuring(bare.pid!, bareUrl, bodies(0), {});
      const project = await peakDuring(api.pid!, apiUrl, bodies(1_000), auth);
      // Memory must not grow with the load: a second round peaks no higher than the first, give or take.
      const again = await peakDuring(api.pid!, apiUrl, bodies(2_000), auth);
      const [count] = await ctx.db.query(`SELECT count(*)::int AS n FROM reports`);
      expect(count.n).toBe(2 * CLIENTS);
      reportBench('upload-rss', [
        { name: 'photo size', value: photo.length / 1024 / 1024, unit: 'MB' },
        { name: 'idle RSS', value: idle.api, unit: 'MB', baseline: idle.bare },
        {
          name: `peak RSS, ${CLIENTS} concurrent uploads`,
          value: project,
          unit: 'MB',
          baseline,
          ratio: project / baseline,
          goal: '< 300 MB, flat',
        },
        { name: 'peak RSS, second round', value: again, unit: 'MB' },
        { name: 'peak growth over idle', value: project - idle.api, unit: 'MB', baseline: baseline - idle.bare },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
