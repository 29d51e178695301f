import { PhotoStorage } from '@app/storage';
import { parse } from 'csv-parse/sync';
import {
  insertReviewedReport,
  keyedValues,
  moscowCsv,
  moscowRows,
  moscowValues,
  precinctId,
  reportAwaitingReview,
  reviewedAndQueued,
  uploadOfficial,
  waitForImport,
  waitForMatching,
} from '../support/official';
import { claim, eventually, reportStatus, submit } from '../support/review';
import { bearer, TestContext, TestUser } from '../support/test-context';

/** Precinct numbers of the Moscow file, by data row (row 1 is the first precinct). */
const numberAt = (row: number) => moscowRows()[row][4].replace(/\D/g, '');
const [A, B, G, H, D, E, F, R] = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => numberAt(i * 10));
const C = '99999'; // not in the official file
const ER = 16; // array index of line 17, Единая Россия: the Moscow leader once e-voting counts

/** Official values of a precinct with some lines changed: `{index: change}`. */
const shifted = (number: string, changes: Record<number, number>) =>
  moscowValues(number).map((v, i) => v + (changes[i] ?? 0));

describe('matching and the public discrepancy list (Moscow 2021)', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let coordinator: TestUser;
  let observer: TestUser;
  let election: { slug: string; id: string };
  const reportOf: Record<string, string[]> = {};

  const report = async (number: string, values: number[]) => {
    const id = await reviewedAndQueued(ctx, {
      electionId: election.id,
      precinctId: await precinctId(ctx, election.id, number),
      observerId: observer.id,
      finalValues: values,
    });
    (reportOf[number] ??= []).push(id);
  };
  const list = async (query = '') =>
    (await ctx.http().get(`/api/elections/${election.slug}/discrepancies${query}`).expect(200)).body;
  const itemOf = (body: { items: any[] }, number: string) => body.items.find((i) => i.precinct.number === number);
  const statusOf = async (number: string) =>
    (
      await ctx.db.query(
        `SELECT m.status FROM precinct_matches m JOIN precincts p ON p.id = m.precinct_id
          WHERE m.election_id = $1 AND p.number = $2`,
        [election.id, number],
      )
    )[0]?.status;

  beforeAll(async () => {
    ctx = await TestContext.create({ worker: true });
    admin = await ctx.newUser('admin');
    coordinator = await ctx.newUser('coordinator');
    observer = await ctx.newUser('observer');
    election = await ctx.newElection(admin);
    const importId = await uploadOfficial(ctx, coordinator, election.slug, moscowCsv(), 'moscow.csv');
    expect(await waitForImport(ctx, coordinator, importId)).toMatchObject({ status: 'done', rowsTotal: 3660 });
    await waitForMatching(ctx);
    await ctx.db.query(
      `INSERT INTO precincts (election_id, region, district, number) VALUES ($1, 'город Москва', 'ОИК №196', $2)`,
      [election.id, C],
    );
  });
  afterAll(() => ctx.close());

  it('matches reviewed reports: exact numbers match, injected differences mismatch on exactly those lines', async () => {
    await report(A, moscowValues(A));
    await report(B, shifted(B, { [ER]: -200, 12: 30 }));
    await report(G, shifted(G, { [ER]: -50, 0: 1000 }));
    await report(H, shifted(H, { 8: -3 }));
    await report(D, moscowValues(D));
    await report(E, moscowValues(E));
    await report(C, moscowValues(A));
    await waitForMatching(ctx);
    expect(await statusOf(A)).toBe('match');
    expect(await statusOf(C)).toBe('no_official');
    const body = await list('?pageSize=500');
    expect(body.items.map((i: any) => i.precinct.number)).toEqual([B, G, H]);
    expect(body.total).toBe(3);
    const b = itemOf(body, B);
    const official = moscowValues(B);
    expect(b).toMatchObject({
      precinct: { region: 'город Москва', number: B },
      status: 'mismatch',
      reportIds: reportOf[B],
      effect: 200,
    });
    expect(b.precinct.district).toBe(moscowRows()[20][2]);
    expect(b.lines).toEqual([
      { n: 13, key: 'kprf', observed: official[12] + 30, official: official[12], delta: -30 },
      { n: 17, key: 'er', observed: official[ER] - 200, official: official[ER], delta: 200 },
    ]);
    expect(itemOf(body, G).lines.map((l: any) => [l.n, l.delta])).toEqual([
      [1, -1000],
      [17, 50],
    ]);
    expect(itemOf(body, H).lines).toEqual([
      { n: 9, key: 'invalid', observed: moscowValues(H)[8] - 3, official: moscowValues(H)[8], delta: 3 },
    ]);
    const noOfficial = await list('?status=no_official');
    expect(noOfficial.items).toEqual([
      expect.objectContaining({ status: 'no_official', precinct: expect.objectContaining({ number: C }), lines: [] }),
    ]);
    expect((await list('?status=match,no_official')).total).toBe(4);
  });

  it('a report reviewed through the real double-blind flow with the official numbers is a match', async () => {
    const reportId = await reportAwaitingReview(ctx, {
      electionId: election.id,
      precinctId: await precinctId(ctx, election.id, R),
      observerId: observer.id,
    });
    await ctx.relayOutbox();
    for (const moderator of [await ctx.newUser('moderator'), await ctx.newUser('moderator')]) {
      const task = (await claim(ctx, moderator).expect(200)).body;
      expect(task.reportId).toBe(reportId);
      await submit(ctx, moderator, task.taskId, { values: keyedValues(moscowValues(R)) }).expect(200);
    }
    expect(await reportStatus(ctx, reportId)).toBe('reviewed');
    await waitForMatching(ctx);
    expect(await statusOf(R)).toBe('match');
  });

  it('two reviewed reports of one precinct that disagree are conflicting_reports, naming the lines', async () => {
    await report(F, moscowValues(F));
    await report(F, shifted(F, { 13: 5 }));
    await waitForMatching(ctx);
    const f = itemOf(await list('?status=conflicting_reports'), F);
    const official = moscowValues(F);
    expect(f).toMatchObject({ status: 'conflicting_reports', reportIds: reportOf[F] });
    expect(f.lines).toEqual([
      {
        n: 14,
        key: 'greens',
        observed: null,
        official: official[13],
        delta: null,
        reports: [official[13], official[13] + 5],
      },
    ]);
  });

  it('a second import that changes two precincts makes exactly those two official_changed', async () => {
    const file = moscowCsv((rows) => {
      for (const row of rows) {
        const number = row[4].replace(/\D/g, '');
        if (number === D) row[5 + ER] = String(Number(row[5 + ER]) + 10);
        if (number === E) row[5] = String(Number(row[5]) + 3);
      }
    });
    const importId = await uploadOfficial(ctx, coordinator, election.slug, file, 'moscow-v2.csv');
    expect(await waitForImport(ctx, coordinator, importId)).toMatchObject({ status: 'done', version: 2 });
    await waitForMatching(ctx);
    const changed = await list('?status=official_changed');
    expect(changed.items.map((i: any) => i.precinct.number).sort()).toEqual([D, E].sort());
    expect(itemOf(changed, D).lines).toEqual([
      {
        n: 17,
        key: 'er',
        observed: moscowValues(D)[ER],
        official: moscowValues(D)[ER] + 10,
        delta: 10,
        previousOfficial: moscowValues(D)[ER],
      },
    ]);
    const changes = (
      await ctx
        .http()
        .get(`/api/imports/${importId}/changes`)
        .set(...bearer(coordinator))
        .expect(200)
    ).body;
    expect(changes.total).toBe(2);
    expect(changes.items.map((c: any) => c.precinct.number).sort()).toEqual([D, E].sort());
    await ctx
      .http()
      .get(`/api/imports/${importId}/changes?page=1e20`)
      .set(...bearer(coordinator))
      .expect(400, /page must not be greater than 1000000/);
    expect(await statusOf(A)).toBe('match');
    expect(await statusOf(B)).toBe('mismatch');
    expect(await statusOf(F)).toBe('conflicting_reports');
  });

  it('a refused file (missing header, non-numeric cell, duplicated precinct) leaves versions and matches untouched', async () => {
    const before = await ctx.db.query(`SELECT * FROM precinct_matches WHERE election_id = $1 ORDER BY precinct_id`, [
      election.id,
    ]);
    const missing = moscowCsv((rows) => rows.forEach((r) => r.splice(17, 1)));
    const bad = moscowCsv((rows) => {
      rows[3][5] = 'abc';
      rows[9] = [...rows[7]];
    });
    for (const file of [missing, bad]) {
      const importId = await uploadOfficial(ctx, coordinator, election.slug, file);
      const status = await waitForImport(ctx, coordinator, importId);
      expect(status).toMatchObject({ status: 'failed', version: null });
      expect(status.errors.length).toBeGreaterThan(0);
    }
    await waitForMatching(ctx);
    const versions = await ctx.db.query(
      `SELECT version FROM official_imports WHERE election_id = $1 AND status = 'done' ORDER BY version`,
      [election.id],
    );
    expect(versions).toEqual([{ version: 1 }, { version: 2 }]);
    expect(
      await ctx.db.query(`SELECT * FROM precinct_matches WHERE election_id = $1 ORDER BY precinct_id`, [election.id]),
    ).toEqual(before);
  });

  it('orders by effect on the leader, pages without overlap, and the CSV parses back to the JSON rows', async () => {
    const all = await list('?pageSize=500');
    expect(all.items.map((i: any) => i.effect)).toEqual([...all.items.map((i: any) => i.effect)].sort((x, y) => y - x));
    const paged = [];
    for (let page = 1; page <= Math.ceil(all.total / 2); page++)
      paged.push(...(await list(`?pageSize=2&page=${page}`)).items);
    expect(paged).toEqual(all.items);
    const csv = await ctx.http().get(`/api/elections/${election.slug}/discrepancies.csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const rows = parse(csv.text, { columns: true, bom: true }) as Array<Record<string, string>>;
    const cell = (v: number | null) => (v === null ? '' : String(v));
    const expected = all.items.flatMap((i: any) =>
      i.lines.map((l: any) => ({
        region: i.precinct.region,
        district: i.precinct.district ?? '',
        number: i.precinct.number,
        status: i.status,
        n: String(l.n),
        key: l.key,
        observed: cell(l.observed),
        official: cell(l.official),
        delta: cell(l.delta),
        reportIds: i.reportIds.join(' '),
      })),
    );
    expect(rows).toEqual(expected);
  });

  it('summary: counts per status, summed deltas of mismatches, coverage', async () => {
    const summary = (await ctx.http().get(`/api/elections/${election.slug}/summary`).expect(200)).body;
    expect(summary.counts).toEqual({
      match: 2,
      mismatch: 3,
      no_official: 1,
      conflicting_reports: 1,
      official_changed: 2,
    });
    const delta = (n: number) => summary.lines.find((l: any) => l.n === n).delta;
    expect(summary.lines).toHaveLength(26);
    expect([delta(1), delta(9), delta(13), delta(17), delta(2)]).toEqual([-1000, 3, -30, 250, 0]);
    const voters = [A, B, G, H, D, F, R].reduce((s, n) => s + moscowValues(n)[0], 0) + moscowValues(E)[0] + 3;
    expect(summary.coverage).toEqual({
      observedPrecincts: 9,
      observedVoters: voters,
      officialPrecincts: 3660,
      officialVoters: expect.any(Number),
    });
    expect(summary.officialVersion).toBe(2);
  });

  it('serves the photos of listed reports to anyone, others only to their viewers; no observer identity', async () => {
    const body = await list('?pageSize=500');
    const b = itemOf(body, B);
    expect(b.photos).toHaveLength(1);
    expect(b.photos[0]).toMatchObject({ reportId: reportOf[B][0], url: `/api/photos/${b.photos[0].id}` });
    const [{ sha256 }] = await ctx.db.query(`SELECT sha256 FROM photos WHERE id = $1`, [b.photos[0].id]);
    await ctx.api.get(PhotoStorage).writeDerivative(sha256, 'review', Buffer.from('RIFF....WEBP'));
    await ctx.http().get(b.photos[0].url).expect(200);
    const [hidden] = await ctx.db.query(`SELECT id FROM photos WHERE report_id = $1`, [reportOf[A][0]]);
    await ctx.http().get(`/api/photos/${hidden.id}`).expect(401);
    const text = JSON.stringify(body) + JSON.stringify((await list('?status=match')).items);
    expect(text).not.toContain(observer.id);
    expect(text).not.toContain(observer.email);
  });

  it('refuses bad filters with 400 and unknown elections with 404', async () => {
    for (const q of ['?pageSize=501', '?page=0', '?status=bogus', '?pageSize=x', '?other=1']) {
      const res = await ctx.http().get(`/api/elections/${election.slug}/discrepancies${q}`).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    }
    await ctx.http().get(`/api/elections/nope/discrepancies`).expect(404);
    await ctx.http().get(`/api/elections/nope/discrepancies.csv`).expect(404);
    await ctx.http().get(`/api/elections/nope/summary`).expect(404);
    const region = await list(
      `?region=${encodeURIComponent('город Москва')}&district=${encodeURIComponent(moscowRows()[20][2])}`,
    );
    expect(region.items.map((i: any) => i.precinct.number)).toContain(B);
    expect((await list(`?region=nowhere`)).total).toBe(0);
  });

  it('a first rematch (no stored rows, a plain insert) stores what the rematch over stored rows kept', async () => {
    const { MatchingService } = await import('@app/matching');
    const matching = ctx.worker!.get(MatchingService);
    // import_id aside: a row unchanged by the second import still names the first.
    const rows = () =>
      ctx.db.query(
        `SELECT precinct_id, status, report_ids, observed, official, previous_official, effect
           FROM precinct_matches WHERE election_id = $1 ORDER BY precinct_id`,
        [election.id],
      );
    const stored = await rows();
    expect(new Set(stored.map((r: { status: string }) => r.status)).size).toBe(5);
    const byPrecinct = (await list('?status=match,no_official')).items.map((i: any) => i.precinct.id);
    expect(byPrecinct).toEqual([...byPrecinct].sort((x, y) => x - y));
    await ctx.db.query(`DELETE FROM precinct_matches WHERE election_id = $1`, [election.id]);
    expect(await matching.matchElection(election.id)).toEqual({ written: stored.length, removed: 0 });
    expect(await rows()).toEqual(stored);
    expect(await matching.matchElection(election.id)).toEqual({ written: 0, removed: 0 });
  });

  it('a precinct left without a reviewed report leaves the list; a rerun of a match changes nothing', async () => {
    const { MatchingService } = await import('@app/matching');
    const matching = ctx.worker!.get(MatchingService);
    expect(await matching.matchElection(election.id)).toEqual({ written: 0, removed: 0 });
    await ctx.db.query(`UPDATE reports SET status = 'rejected' WHERE id = $1`, [reportOf[H][0]]);
    const id = await precinctId(ctx, election.id, H);
    expect(await matching.matchPrecinct(election.id, id)).toEqual({ written: 0, removed: 1 });
    expect(await statusOf(H)).toBeUndefined();
    expect(itemOf(await list('?pageSize=500'), H)).toBeUndefined();
  });

  it('the reconciler matches a reviewed report whose match job was lost', async () => {
    const number = numberAt(90);
    const id = await insertReviewedReport(ctx, {
      electionId: election.id,
      precinctId: await precinctId(ctx, election.id, number),
      observerId: observer.id,
      finalValues: moscowValues(number),
    });
    await ctx.db.query(`UPDATE reports SET reviewed_at = now() - interval '1 hour' WHERE id = $1`, [id]);
    expect(await statusOf(number)).toBeUndefined();
    // The periodic pass may get there first; either way the precinct is matched.
    await eventually(async () => {
      await ctx.reconcile();
      return (await statusOf(number)) === 'match' ? true : undefined;
    });
    const [row] = await ctx.db.query(
      `SELECT m.report_ids FROM precinct_matches m JOIN precincts p ON p.id = m.precinct_id
        WHERE m.election_id = $1 AND p.number = $2`,
      [election.id, number],
    );
    expect(row.report_ids).toEqual([id]);
  });
});
