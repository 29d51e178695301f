/*
 * Report ingest: 3 MB photos POSTed by 50 concurrent clients through the API (multer to disk,
 * SHA-256 while streaming, fsync, header checks, content-addressed commit, one PostgreSQL
 * transaction with the outbox) against a bare busboy server that streams each file to disk and
 * answers 202, same client, same bodies, same disk, in this run. A second baseline flushes each
 * file to disk first (the durability a 202 promises), to show what that part costs here.
 */
import busboy from 'busboy';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { distinctJpeg, multipartReport, newPrecinct, noiseJpeg, sendMultipart } from '../support/reports';
import { TestContext, TestUser } from '../support/test-context';
import { reportBench } from './bench-report';

const CLIENTS = 50;
const UPLOADS = 200;

/**
 * The baseline: busboy straight to disk, nothing else. With `durable`, each file is also flushed
 * to disk before the answer, as the API must do before it may promise anything with a 202.
 */
function bareBusboyServer(dir: string, durable: boolean): Server {
  let n = 0;
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const parser = busboy({ headers: req.headers });
    const writes: Promise<void>[] = [];
    parser.on('file', (_name, file) =>
      writes.push(pipeline(file, createWriteStream(join(dir, `${++n}`), { flush: durable }))),
    );
    parser.on('close', () => {
      void Promise.all(writes).then(() => {
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: randomUUID(), status: 'received' }));
      });
    });
    req.pipe(parser);
  });
}

describe('report ingest benchmark', () => {
  let ctx: TestContext;
  let observer: TestUser;
  let election: { slug: string; id: string };
  let precinct: { region: string; number: string };
  let photo: Buffer;

  beforeAll(async () => {
    ctx = await TestContext.create({ env: { LOG_LEVEL: 'silent' } });
    const admin = await ctx.newUser('admin');
    observer = await ctx.newUser('observer');
    election = await ctx.newElection(admin);
    precinct = await newPrecinct(ctx, election.id);
    photo = await noiseJpeg(1750, 1750);
    await ctx.api.listen(0, '127.0.0.1');
  });
  afterAll(() => ctx.close());

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

  async function bareServer(durable: boolean): Promise<{ url: string; close: () => Promise<void> }> {
    const dir = mkdtempSync(join(tmpdir(), 'votecheck-bench-busboy-'));
    const server = bareBusboyServer(dir, durable);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`,
      close: async () => {
        await new Promise((resolve) => server.close(resolve));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  it('measures ingest throughput against a bare busboy-to-disk server', async () => {
    const bare = await bareServer(false);
    const durable = await bareServer(true);
    const apiUrl = `${(await ctx.api.getUrl()).replace('[::1]', '127.0.0.1')}/api/elections/${election.slug}/reports`;
    const auth = { authorization: `Bearer ${observer.token}` };
    try {
      // A warm-up of each, then the measured runs.
      await run(bare.url, {}, 0);
      await run(apiUrl, auth, 1_000);
      const baseline = await run(bare.url, {}, 2_000);
      const flushed = await run(durable.url, {}, 3_000);
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
    } finally {
      await bare.close();
      await durable.close();
    }
  });
});
