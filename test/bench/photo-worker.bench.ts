/*
 * Photo processing: the worker (BullMQ job → derivatives, perceptual hash, look-alike check,
 * report settled and sent to review, all in PostgreSQL) against a bare sharp loop doing the same
 * transforms on the same 12 MP originals with as many photos in flight, in this run.
 */
import { QueueName } from '@app/queue';
import { PhotoStorage } from '@app/storage';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { eventually, newPrecinct, postReport, protocolJpeg } from '../support/reports';
import { TestContext } from '../support/test-context';
import { reportBench, timed } from './bench-report';

const PHOTOS = 30;
/** The worker's photo concurrency (PHOTO_CONCURRENCY, default 2); the bare loop runs as many. */
const IN_FLIGHT = 2;

/** The baseline: upright, 1600 px and 320 px WebP without metadata, a 17×16 grey hash, two files written. */
async function bareTransform(input: string, outDir: string, n: number): Promise<void> {
  const source = sharp(input).autoOrient();
  const [review, thumb] = await Promise.all([
    source.clone().resize(1600, 1600, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 82 }).toBuffer(),
    source.clone().resize(320, 320, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 70 }).toBuffer(),
  ]);
  await sharp(input).metadata();
  await sharp(thumb).greyscale().resize(17, 16, { fit: 'fill' }).raw().toBuffer();
  await Promise.all([
    writeFile(join(outDir, `${n}.review.webp`), review),
    writeFile(join(outDir, `${n}.thumb.webp`), thumb),
  ]);
}

async function inFlight(items: string[], limit: number, work: (item: string, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i], i);
      }
    }),
  );
}

describe('photo worker benchmark', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await TestContext.create({ env: { LOG_LEVEL: 'silent', PHOTO_CONCURRENCY: String(IN_FLIGHT) } });
  });
  afterAll(() => ctx.close());

  it('measures photos per second against a bare sharp loop', async () => {
    const admin = await ctx.newUser('admin');
    const observer = await ctx.newUser('observer');
    const election = await ctx.newElection(admin);
    const precinct = await newPrecinct(ctx, election.id);
    for (let i = 0; i < PHOTOS; i++) {
      const data = await protocolJpeg({ seed: 300 + i, width: 3000, height: 4000, orientation: 6, quality: 92 });
      await postReport(ctx, election.slug, observer, {
        region: precinct.region,
        number: precinct.number,
        photos: [{ data }],
      }).expect(202);
    }
    // Jobs wait in a paused queue, so that the worker's start-up is not timed.
    const queue = ctx.api.get<Queue>(getQueueToken(QueueName.Photos));
    await queue.pause();
    await ctx.relayOutbox();
    const storage = ctx.api.get(PhotoStorage);
    const originals: string[] = (await ctx.db.query(`SELECT sha256 FROM photos ORDER BY created_at`)).map(
      (p: { sha256: string }) => storage.originalPath(p.sha256),
    );

    const out = mkdtempSync(join(tmpdir(), 'votecheck-bench-sharp-'));
    try {
      await inFlight(originals.slice(0, 4), IN_FLIGHT, (f, i) => bareTransform(f, out, i));
      const bareMs = await timed(() => inFlight(originals, IN_FLIGHT, (f, i) => bareTransform(f, out, i)));

      await ctx.startWorker();
      const processed = async () =>
        (await ctx.db.query(`SELECT count(*)::int AS n FROM photos WHERE status = 'processed'`))[0].n as number;
      const workerMs = await timed(async () => {
        await queue.resume();
        await eventually(async () => (await processed()) === PHOTOS, 600_000);
      });
      const [settled] = await ctx.db.query(`SELECT count(*)::int AS n FROM reports WHERE status = 'awaiting_review'`);
      expect(settled.n).toBe(PHOTOS);
      const project = PHOTOS / (workerMs / 1000);
      const baseline = PHOTOS / (bareMs / 1000);
      reportBench('photo-worker', [
        {
          name: `12 MP photos/s, ${IN_FLIGHT} in flight`,
          value: project,
          unit: '/s',
          baseline,
          ratio: project / baseline,
          goal: '≥ 0.8×',
        },
      ]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
