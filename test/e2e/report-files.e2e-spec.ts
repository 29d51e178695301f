import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  bombPng,
  eventually,
  fakeHeic,
  newPrecinct,
  polyglotJpeg,
  postReport,
  protocolJpeg,
  ReportForm,
  storedFiles,
} from '../support/reports';
import { TestContext, TestUser } from '../support/test-context';

/** Nothing of a refused upload may stay behind: no row anywhere, no file on the volume. */
async function expectNothingKept(ctx: TestContext): Promise<void> {
  const [counts] = await ctx.db.query(
    `SELECT (SELECT count(*) FROM reports)::int AS reports, (SELECT count(*) FROM photos)::int AS photos,
            (SELECT count(*) FROM outbox)::int AS outbox,
            (SELECT count(*) FROM audit_log WHERE report_id IS NOT NULL)::int AS audit`,
  );
  expect(counts).toEqual({ reports: 0, photos: 0, outbox: 0, audit: 0 });
  expect(await storedFiles(ctx)).toEqual([]);
}

describe('observer reports: refused uploads keep nothing', () => {
  let ctx: TestContext;
  let observer: TestUser;
  let election: { slug: string; id: string };
  let precinct: { id: number; region: string; number: string };
  let jpeg: Buffer;

  beforeAll(async () => {
    ctx = await TestContext.create();
    const admin = await ctx.newUser('admin');
    observer = await ctx.newUser('observer');
    election = await ctx.newElection(admin);
    precinct = await newPrecinct(ctx, election.id);
    jpeg = await protocolJpeg({ seed: 3, width: 600, height: 800 });
  });
  afterAll(() => ctx.close());

  const send = ({ slug, ...form }: Partial<ReportForm> & { slug?: string }) =>
    postReport(ctx, slug ?? election.slug, observer, { region: precinct.region, number: precinct.number, ...form });

  const cases: Array<[string, () => Partial<ReportForm> & { slug?: string }, number, RegExp]> = [
    ['11 files', () => ({ photos: Array.from({ length: 11 }, () => ({ data: jpeg })) }), 413, /At most 10 photos/],
    [
      'a 26 MB file',
      () => ({ photos: [{ data: Buffer.concat([jpeg, Buffer.alloc(26 * 1024 * 1024 - jpeg.length, 1)]) }] }),
      413,
      /at most 25 MB/,
    ],
    [
      'a text file named .jpg',
      () => ({ photos: [{ data: Buffer.from('signed protocol, honest\n'.repeat(50)), name: 'protocol.jpg' }] }),
      415,
      /not a JPEG, PNG, WebP or HEIC image/,
    ],
    [
      'a truncated JPEG',
      () => ({ photos: [{ data: jpeg.subarray(0, Math.floor(jpeg.length / 2)) }] }),
      422,
      /truncated/,
    ],
    ['a JPEG/HTML polyglot', () => ({ photos: [{ data: polyglotJpeg(jpeg) }] }), 422, /web page markup/],
    [
      'a 20000×20000 PNG',
      () => ({ photos: [{ data: bombPng(20000, 20000), name: 'bomb.png' }] }),
      422,
      /20000×20000 \(400 megapixels\); at most 50/,
    ],
    ['a HEIC this server cannot decode', () => ({ photos: [{ data: fakeHeic(), name: 'IMG_1.HEIC' }] }), 415, /HEIC/],
    [
      'a path-traversal file name',
      () => ({ photos: [{ data: jpeg, name: '../../etc/cron.d/x.jpg' }] }),
      400,
      /file name contains a path separator/,
    ],
    ['a file name with ".."', () => ({ photos: [{ data: jpeg, name: '..jpg' }] }), 400, /contains "\.\."/],
    [
      'an unknown precinct',
      () => ({ number: '999999', photos: [{ data: jpeg }] }),
      422,
      /No precinct город Москва № 999999/,
    ],
    [
      'malformed JSON in values',
      () => ({ values: '{"1": 1515,', photos: [{ data: jpeg }] }),
      400,
      /values is not valid JSON/,
    ],
    [
      'a values key that is not a template line',
      () => ({ values: JSON.stringify({ 1: 1515, 99: 3 }), photos: [{ data: jpeg }] }),
      400,
      /values: .*99/,
    ],
    [
      'a NUL character in the comment',
      () => ({ comment: 'seen at 21:00\u0000', photos: [{ data: jpeg }] }),
      400,
      /comment holds a NUL character/,
    ],
    [
      'a NUL character in the region',
      () => ({ region: 'город Москва\u0000', photos: [{ data: jpeg }] }),
      400,
      /region holds a NUL character/,
    ],
    [
      'photos sent as a text field',
      () => ({ extra: { photos: 'IMG_1.jpg' }, photos: [] }),
      400,
      /photos must be files \(images\), not a text field/,
    ],
    [
      'an unknown election slug of 5,000 characters (quoted cut short)',
      () => ({ slug: 'x'.repeat(5000), photos: [{ data: jpeg }] }),
      404,
      new RegExp(`^No election "${'x'.repeat(100)}…"$`),
    ],
    ['no photo', () => ({ photos: [] }), 400, /at least one photo/],
    [
      'a comment over 4,000 characters',
      () => ({ comment: 'x'.repeat(4001), photos: [{ data: jpeg }] }),
      400,
      /comment must be at most 4000/,
    ],
  ];

  it.each(cases)('refuses %s with its own 4xx and keeps nothing', async (_name, form, status, message) => {
    const res = await send(form()).expect(status);
    expect(res.body.message).toMatch(message);
    await expectNothingKept(ctx);
  });

  it('refuses a file in a field other than photos', async () => {
    const res = await ctx
      .http()
      .post(`/api/elections/${election.slug}/reports`)
      .set('Authorization', `Bearer ${observer.token}`)
      .field('clientReportId', '6f1c1f8e-0f7e-4b4e-9d8a-2f4b8c1d9e01')
      .field('region', precinct.region)
      .field('number', precinct.number)
      .attach('avatar', jpeg, 'a.jpg')
      .expect(400);
    expect(res.body.message).toMatch(/Unexpected file field "avatar"/);
    await expectNothingKept(ctx);
  });

  it('keeps nothing when the client aborts mid-upload', async () => {
    if (!ctx.api.getHttpServer().listening) await ctx.api.listen(0, '127.0.0.1');
    const { port } = ctx.api.getHttpServer().address() as AddressInfo;
    const boundary = 'vc-abort-boundary';
    const head = Buffer.from(
      [
        `--${boundary}`,
        'Content-Disposition: form-data; name="clientReportId"',
        '',
        '0b8e5c7a-3a51-4c55-8f0e-6a7c1e2d3f40',
        `--${boundary}`,
        'Content-Disposition: form-data; name="region"',
        '',
        precinct.region,
        `--${boundary}`,
        'Content-Disposition: form-data; name="number"',
        '',
        precinct.number,
        `--${boundary}`,
        'Content-Disposition: form-data; name="photos"; filename="IMG_9.jpg"',
        'Content-Type: image/jpeg',
        '',
        '',
      ].join('\r\n'),
    );
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/api/elections/${election.slug}/reports`,
      headers: {
        authorization: `Bearer ${observer.token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + 5 * 1024 * 1024),
      },
    });
    req.on('error', () => undefined);
    req.write(head);
    req.write(Buffer.concat([jpeg, Buffer.alloc(1024 * 1024, 7)]));
    // The upload is under way once its temporary file exists; then the network goes.
    await eventually(async () => (await storedFiles(ctx)).length > 0, 20_000);
    req.destroy();
    await eventually(async () => (await storedFiles(ctx)).length === 0, 20_000);
    await expectNothingKept(ctx);
  });
});
