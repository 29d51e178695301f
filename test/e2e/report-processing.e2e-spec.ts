import sharp from 'sharp';
import { eventually, newPrecinct, poisonedJpeg, postReport, protocolJpeg } from '../support/reports';
import { bearer, TestContext, TestUser } from '../support/test-context';

describe('observer reports: photo processing', () => {
  let ctx: TestContext;
  let observer: TestUser;
  let moderator: TestUser;
  let election: { slug: string; id: string };

  beforeAll(async () => {
    ctx = await TestContext.create({ worker: true });
    const admin = await ctx.newUser('admin');
    observer = await ctx.newUser('observer');
    moderator = await ctx.newUser('moderator');
    election = await ctx.newElection(admin);
  });
  afterAll(() => ctx.close());

  async function sendAndSettle(
    user: TestUser,
    precinct: { region: string; number: string },
    photos: Buffer[],
  ): Promise<string> {
    const res = await postReport(ctx, election.slug, user, {
      region: precinct.region,
      number: precinct.number,
      photos: photos.map((data) => ({ data })),
    }).expect(202);
    const id: string = res.body.id;
    await eventually(async () => {
      const [row] = await ctx.db.query(`SELECT status FROM reports WHERE id = $1`, [id]);
      return !['received', 'processing'].includes(row.status);
    });
    return id;
  }

  const asModerator = async (id: string) =>
    (
      await ctx
        .http()
        .get(`/api/reports/${id}`)
        .set(...bearer(moderator))
        .expect(200)
    ).body;

  it('flags the same photo sent for two precincts, and a second shot inside one precinct', async () => {
    const first = await newPrecinct(ctx, election.id);
    const second = await newPrecinct(ctx, election.id);
    const photo = await protocolJpeg({ seed: 51, gps: false });
    const original = await sendAndSettle(observer, first, [photo]);
    const other = await ctx.newUser('observer');
    const copied = await sendAndSettle(other, second, [photo]);

    const flagged = await asModerator(copied);
    expect(flagged.photos[0].similar).toEqual([
      { photoId: expect.any(String), reportId: original, kind: 'other_precinct', distance: 0 },
    ]);

    // A second shot of the same sheet: re-encoded, a little smaller and cropped.
    const reshot = await sharp(photo)
      .extract({ left: 8, top: 8, width: 1184, height: 1584 })
      .resize(1100)
      .jpeg({ quality: 60 })
      .toBuffer();
    const again = await sendAndSettle(observer, first, [reshot]);
    const near = (await asModerator(again)).photos[0].similar;
    expect(near).toEqual(
      expect.arrayContaining([expect.objectContaining({ reportId: original, kind: 'same_precinct' })]),
    );
    expect(near.find((s: { reportId: string }) => s.reportId === original).distance).toBeGreaterThan(0);

    // A different protocol is not flagged; observers never see the flags.
    const different = await sendAndSettle(observer, first, [await protocolJpeg({ seed: 52, gps: false })]);
    expect((await asModerator(different)).photos[0].similar).toEqual([]);
    const own = await ctx
      .http()
      .get(`/api/reports/${copied}`)
      .set(...bearer(other))
      .expect(200);
    expect(own.body.photos[0].similar).toBeUndefined();
  });

  it('ends an undecodable photo as a per-photo error, not a retry loop', async () => {
    const precinct = await newPrecinct(ctx, election.id);
    const good = await protocolJpeg({ seed: 61, gps: false });
    const mixed = await sendAndSettle(observer, precinct, [good, await poisonedJpeg(62)]);
    const report = await asModerator(mixed);
    expect(report.status).toBe('awaiting_review');
    expect(report.photos.map((p: { status: string }) => p.status)).toEqual(['processed', 'failed']);
    expect(report.photos[1].error).toMatch(/could not be decoded: .*Quantization table/);
    await ctx
      .http()
      .get(report.photos[1].url)
      .set(...bearer(moderator))
      .expect(404, /could not be processed/);

    const onlyBad = await sendAndSettle(observer, precinct, [await poisonedJpeg(63)]);
    expect((await asModerator(onlyBad)).status).toBe('rejected');
    const failures = await ctx.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'photo.failed' AND report_id = ANY($1::uuid[])`,
      [[mixed, onlyBad]],
    );
    expect(failures[0].n).toBe(2);
    // A rejected report has nothing to read: no transcription task is queued for it.
    const tasks = await ctx.db.query(
      `SELECT 1 FROM outbox WHERE job_name = 'transcribe' AND payload->>'reportId' = $1`,
      [onlyBad],
    );
    expect(tasks).toEqual([]);
  });
});
