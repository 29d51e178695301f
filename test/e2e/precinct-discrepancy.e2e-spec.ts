import { PhotoStorage } from '@app/storage';
import {
  moscowCsv,
  moscowRows,
  moscowValues,
  precinctId,
  reviewedAndQueued,
  uploadOfficial,
  waitForImport,
  waitForMatching,
} from '../support/official';
import { TestContext, TestUser } from '../support/test-context';

const numberAt = (row: number) => moscowRows()[row][4].replace(/\D/g, '');
const [MATCHED, SHIFTED, UNREPORTED] = [11, 22, 33].map(numberAt);
const ER = 16; // array index of line 17, Единая Россия

/** The public page of one precinct: every line official against observed, photos only when listed. */
describe('GET /api/elections/:slug/precincts/:id/discrepancy', () => {
  let ctx: TestContext;
  let observer: TestUser;
  let election: { slug: string; id: string };
  const idOf: Record<string, number> = {};
  const page = (id: number | string) => ctx.http().get(`/api/elections/${election.slug}/precincts/${id}/discrepancy`);

  beforeAll(async () => {
    ctx = await TestContext.create({ worker: true });
    const admin = await ctx.newUser('admin');
    const coordinator = await ctx.newUser('coordinator');
    observer = await ctx.newUser('observer');
    election = await ctx.newElection(admin);
    const importId = await uploadOfficial(ctx, coordinator, election.slug, moscowCsv(), 'moscow.csv');
    expect(await waitForImport(ctx, coordinator, importId)).toMatchObject({ status: 'done' });
    for (const number of [MATCHED, SHIFTED, UNREPORTED]) idOf[number] = await precinctId(ctx, election.id, number);
    const values = (number: string, erShift = 0) => moscowValues(number).map((v, i) => (i === ER ? v - erShift : v));
    for (const [number, shift] of [
      [MATCHED, 0],
      [SHIFTED, 120],
    ] as const) {
      await reviewedAndQueued(ctx, {
        electionId: election.id,
        precinctId: idOf[number],
        observerId: observer.id,
        finalValues: values(number, shift),
      });
    }
    await waitForMatching(ctx);
  });
  afterAll(() => ctx.close());

  it('lists every template line of a mismatching precinct with its delta, and links its photo for anyone', async () => {
    const { body } = await page(idOf[SHIFTED]).expect(200);
    expect(body.precinct).toMatchObject({ id: idOf[SHIFTED], region: 'город Москва', number: SHIFTED });
    expect(body.status).toBe('mismatch');
    expect(body.lines).toHaveLength(26);
    const official = moscowValues(SHIFTED);
    expect(body.lines[ER]).toMatchObject({
      n: 17,
      key: 'er',
      official: official[ER],
      observed: official[ER] - 120,
      delta: 120,
    });
    expect(body.lines[ER].label).toContain('ЕДИНАЯ РОССИЯ');
    expect(body.lines.filter((l: { delta: number }) => l.delta !== 0).map((l: { n: number }) => l.n)).toEqual([17]);
    expect(body.photos).toHaveLength(1);
    const [{ sha256 }] = await ctx.db.query(`SELECT sha256 FROM photos WHERE id = $1`, [body.photos[0].id]);
    await ctx.api.get(PhotoStorage).writeDerivative(sha256, 'review', Buffer.from('RIFF....WEBP'));
    await ctx.http().get(body.photos[0].url).expect(200);
    expect(JSON.stringify(body)).not.toContain(observer.email);
    expect(JSON.stringify(body)).not.toContain(observer.id);
  });

  it('shows a matching precinct with all deltas zero and keeps its photos private', async () => {
    const { body } = await page(idOf[MATCHED]).expect(200);
    expect(body.status).toBe('match');
    expect(body.lines.every((l: { delta: number }) => l.delta === 0)).toBe(true);
    expect(body.photos).toEqual([]);
    const [hidden] = await ctx.db.query(
      `SELECT p.id FROM photos p JOIN reports r ON r.id = p.report_id WHERE r.precinct_id = $1`,
      [idOf[MATCHED]],
    );
    await ctx.http().get(`/api/photos/${hidden.id}`).expect(401);
  });

  it('answers 404 for a precinct without a reviewed report, of another election, or not a number', async () => {
    await page(idOf[UNREPORTED]).expect(404);
    await page('abc').expect(404);
    await page(2_000_000_000).expect(404);
    await ctx.http().get(`/api/elections/no-such-election/precincts/${idOf[SHIFTED]}/discrepancy`).expect(404);
  });
});
