import exifr from 'exifr';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import {
  distinctJpeg,
  eventually,
  newPrecinct,
  noiseJpeg,
  postReport,
  protocolJpeg,
  storedFiles,
} from '../support/reports';
import { bearer, TestContext, TestUser } from '../support/test-context';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('observer reports: happy path and idempotency', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let observer: TestUser;
  let moderator: TestUser;
  let election: { slug: string; id: string };
  let precinct: { id: number; region: string; number: string };

  beforeAll(async () => {
    ctx = await TestContext.create({ worker: true });
    admin = await ctx.newUser('admin');
    observer = await ctx.newUser('observer');
    moderator = await ctx.newUser('moderator');
    election = await ctx.newElection(admin);
    precinct = await newPrecinct(ctx, election.id);
  });
  afterAll(() => ctx.close());

  const reportStatus = async (id: string) =>
    (await ctx.db.query(`SELECT status FROM reports WHERE id = $1`, [id]))[0]?.status as string | undefined;

  it('takes a report to awaiting_review with EXIF GPS gone from every served image', async () => {
    const original = await protocolJpeg({ seed: 7, orientation: 6 });
    const gps = await exifr.gps(original);
    expect(gps.latitude).toBeCloseTo(55.7558, 3);

    const res = await postReport(ctx, election.slug, observer, {
      region: precinct.region,
      number: precinct.number,
      values: JSON.stringify({ 1: 1515, 2: 1500 }),
      comment: 'Signed at 23:10',
      photos: [{ data: original, name: 'IMG_0001.jpg' }, { data: await protocolJpeg({ seed: 8, gps: false }) }],
    }).expect(202);
    expect(res.body).toEqual({ id: expect.any(String), status: 'received' });
    const id = res.body.id;

    await eventually(async () => (await reportStatus(id)) === 'awaiting_review');

    const report = await ctx
      .http()
      .get(`/api/reports/${id}`)
      .set(...bearer(observer))
      .expect(200);
    expect(report.body).toMatchObject({
      id,
      status: 'awaiting_review',
      precinct: { id: precinct.id, region: precinct.region, number: precinct.number },
      values: { 1: 1515, 2: 1500 },
      electionSlug: election.slug,
    });
    expect(report.body.photos).toHaveLength(2);
    const [photo] = report.body.photos;
    // Orientation 6: the upright picture is as wide as the stored one is high.
    expect(photo).toMatchObject({ url: `/api/photos/${photo.id}`, width: 1600, height: 1200, status: 'processed' });
    expect(photo.sha256).toMatch(/^[0-9a-f]{64}$/);

    for (const query of ['', '?size=thumb']) {
      const served = await ctx
        .http()
        .get(`${photo.url}${query}`)
        .set(...bearer(observer))
        .buffer(true)
        .parse((r, cb) => {
          const parts: Buffer[] = [];
          r.on('data', (c: Buffer) => parts.push(c));
          r.on('end', () => cb(null, Buffer.concat(parts)));
        })
        .expect(200);
      expect(served.headers['content-type']).toBe('image/webp');
      expect(served.headers['x-content-type-options']).toBe('nosniff');
      expect(served.headers['cache-control']).toMatch(/^private/);
      const body = served.body as Buffer;
      expect(await exifr.parse(body).catch(() => undefined)).toBeUndefined();
      expect(await exifr.gps(body).catch(() => undefined)).toBeUndefined();
      const meta = await sharp(body).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.format).toBe('webp');
      expect(Math.max(meta.width!, meta.height!)).toBe(query ? 320 : 1600);
      const again = await ctx
        .http()
        .get(`${photo.url}${query}`)
        .set(...bearer(observer))
        .set('If-None-Match', served.headers.etag)
        .expect(304);
      expect(again.text).toBeFalsy();
    }

    // The original keeps its metadata as evidence, for coordinators only.
    await ctx
      .http()
      .get(`${photo.url}?variant=original`)
      .set(...bearer(moderator))
      .expect(403);
    const coordinator = await ctx.newUser('coordinator');
    const orig = await ctx
      .http()
      .get(`${photo.url}?variant=original`)
      .set(...bearer(coordinator))
      .buffer(true)
      .parse((r, cb) => {
        const parts: Buffer[] = [];
        r.on('data', (c: Buffer) => parts.push(c));
        r.on('end', () => cb(null, Buffer.concat(parts)));
      })
      .expect(200);
    expect(orig.headers['content-type']).toBe('image/jpeg');
    expect((orig.body as Buffer).equals(original)).toBe(true);

    const audit = await ctx.db.query(`SELECT action FROM audit_log WHERE report_id = $1 ORDER BY id`, [id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['report.received', 'report.processed']);
    const review = await ctx.db.query(
      `SELECT job_id FROM outbox WHERE job_name = 'transcribe' AND payload->>'reportId' = $1`,
      [id],
    );
    expect(review).toHaveLength(2);
  });

  it('stores every original byte for byte, whatever its size against the write buffers', async () => {
    // A photo of a few kB, one of about 3 MB (several buffers written past the page cache, the
    // last one padded and cut), and the same with one byte more.
    const big = await noiseJpeg(1750, 1750);
    const photos = [await protocolJpeg({ seed: 9, gps: false }), big, distinctJpeg(big, 1)];
    const res = await postReport(ctx, election.slug, observer, {
      region: precinct.region,
      number: precinct.number,
      photos: photos.map((data) => ({ data })),
    }).expect(202);
    const stored = await ctx.db.query(`SELECT sha256, size FROM photos WHERE report_id = $1 ORDER BY position`, [
      res.body.id,
    ]);
    expect(stored).toEqual(photos.map((p) => ({ sha256: sha256(p), size: String(p.length) })));
    for (const p of photos) {
      const [file] = (await storedFiles(ctx)).filter((f) => f.includes('/originals/') && f.endsWith(sha256(p)));
      expect(readFileSync(file).equals(p)).toBe(true);
    }
  });

  it('lets only the observer, moderators and up see a report and its photos', async () => {
    const res = await postReport(ctx, election.slug, observer, {
      region: precinct.region,
      number: precinct.number,
      photos: [{ data: await protocolJpeg({ seed: 21 }) }],
    }).expect(202);
    const id = res.body.id;
    await eventually(async () => (await reportStatus(id)) === 'awaiting_review');
    const [{ id: photoId }] = await ctx.db.query(`SELECT id FROM photos WHERE report_id = $1`, [id]);
    const other = await ctx.newUser('observer');
    await ctx
      .http()
      .get(`/api/reports/${id}`)
      .set(...bearer(other))
      .expect(404);
    await ctx
      .http()
      .get(`/api/photos/${photoId}`)
      .set(...bearer(other))
      .expect(404);
    await ctx.http().get(`/api/photos/${photoId}`).expect(401);
    await ctx
      .http()
      .get(`/api/reports/${id}`)
      .set(...bearer(moderator))
      .expect(200);
    await ctx
      .http()
      .get(`/api/photos/${photoId}`)
      .set(...bearer(moderator))
      .expect(200);

    // On the public discrepancy list, anyone may see it, and caches may keep it.
    await ctx.db.query(
      `INSERT INTO precinct_matches (election_id, precinct_id, status, report_ids) VALUES ($1, $2, 'mismatch', ARRAY[$3::uuid])`,
      [election.id, precinct.id, id],
    );
    const open = await ctx.http().get(`/api/photos/${photoId}`).expect(200);
    expect(open.headers['cache-control']).toMatch(/^public/);
    await ctx.http().get(`/api/photos/${photoId}?variant=original`).expect(401);
    await ctx.db.query(`DELETE FROM precinct_matches WHERE election_id = $1`, [election.id]);
  });

  it('lists the observer’s own reports with clientReportId and electionSlug', async () => {
    const clientReportId = randomUUID();
    await postReport(ctx, election.slug, observer, {
      clientReportId,
      region: precinct.region,
      number: precinct.number,
      photos: [{ data: await protocolJpeg({ seed: 31 }) }],
    }).expect(202);
    const mine = await ctx
      .http()
      .get('/api/reports?mine=true')
      .set(...bearer(observer))
      .expect(200);
    expect(mine.body.items.find((r: { clientReportId: string }) => r.clientReportId === clientReportId)).toMatchObject({
      electionSlug: election.slug,
      precinct: { region: precinct.region, number: precinct.number },
    });
    const theirs = await ctx
      .http()
      .get('/api/reports?mine=true')
      .set(...bearer(moderator))
      .expect(200);
    expect(theirs.body.items).toEqual([]);
  });

  it('takes the fields as they finally are when some come after the photos (a resend too)', async () => {
    // The pre-checks' query starts with the fields sent before the first photo; here those
    // name neither the report nor the precinct, so the final fields must be asked again.
    const photo = await protocolJpeg({ seed: 31, gps: false });
    const clientReportId = randomUUID();
    const send = (number: string) =>
      ctx
        .http()
        .post(`/api/elections/${election.slug}/reports`)
        .set(...bearer(observer))
        .field('comment', 'fields after the photo')
        .attach('photos', photo, { filename: 'IMG_31.jpg' })
        .field('clientReportId', clientReportId)
        .field('region', precinct.region)
        .field('number', number);
    const first = await send(precinct.number).expect(202);
    const [row] = await ctx.db.query(`SELECT precinct_id AS "precinctId", comment FROM reports WHERE id = $1`, [
      first.body.id,
    ]);
    expect(row).toEqual({ precinctId: precinct.id, comment: 'fields after the photo' });
    const again = await send('no such precinct').expect(200);
    expect(again.body.id).toBe(first.body.id);
  });

  it('makes one report of a resend with the same clientReportId (sequential and 20 concurrent)', async () => {
    const photo = await protocolJpeg({ seed: 41 });
    const form = () => ({ region: precinct.region, number: precinct.number, photos: [{ data: photo }] });
    const clientReportId = randomUUID();
    const first = await postReport(ctx, election.slug, observer, { ...form(), clientReportId }).expect(202);
    const second = await postReport(ctx, election.slug, observer, { ...form(), clientReportId }).expect(200);
    expect(second.body.id).toBe(first.body.id);

    const concurrentId = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        postReport(ctx, election.slug, observer, { ...form(), clientReportId: concurrentId }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(19).fill(200), 202]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const rows = await ctx.db.query(`SELECT id FROM reports WHERE client_report_id = $1`, [concurrentId]);
    expect(rows).toHaveLength(1);
    const photos = await ctx.db.query(`SELECT id FROM photos WHERE report_id = $1`, [rows[0].id]);
    expect(photos).toHaveLength(1);
    // Resends write no second report.received, sequential or concurrent.
    const received = await ctx.db.query(
      `SELECT report_id AS "reportId", count(*)::int AS n FROM audit_log
        WHERE action = 'report.received' AND report_id = ANY($1::uuid[]) GROUP BY report_id ORDER BY 1`,
      [[first.body.id, rows[0].id]],
    );
    expect(received).toEqual([first.body.id, rows[0].id].sort().map((reportId) => ({ reportId, n: 1 })));
    // The same bytes are stored once, however many reports carry them.
    const sha = (await ctx.db.query(`SELECT sha256 FROM photos WHERE report_id = $1`, [rows[0].id]))[0].sha256;
    const originals = (await storedFiles(ctx)).filter((f) => f.includes('/originals/') && f.endsWith(sha));
    expect(originals).toHaveLength(1);
    // Another observer may use the same clientReportId: it is scoped to the observer.
    const other = await ctx.newUser('observer');
    await postReport(ctx, election.slug, other, { ...form(), clientReportId: concurrentId }).expect(202);
  });
});
