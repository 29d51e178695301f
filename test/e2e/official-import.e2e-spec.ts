import { gzipSync } from 'node:zlib';
import { MOSCOW_CSV } from '../support/data';
import { moscowCsv, moscowRows, uploadOfficial, waitForImport } from '../support/official';
import { bearer, TestContext, TestUser } from '../support/test-context';

describe('official-results import', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let coordinator: TestUser;
  let election: { slug: string; id: string };

  beforeAll(async () => {
    ctx = await TestContext.create({ worker: true });
    admin = await ctx.newUser('admin');
    coordinator = await ctx.newUser('coordinator');
    election = await ctx.newElection(admin);
  });
  afterAll(() => ctx.close());

  const officialRowCount = async (importId: string) =>
    (await ctx.db.query(`SELECT count(*)::int AS n FROM official_results WHERE import_id = $1`, [importId]))[0].n;

  it('imports the Moscow file as version 1 with 3,660 official rows and creates the precincts', async () => {
    const importId = await uploadOfficial(ctx, coordinator, election.slug, MOSCOW_CSV, 'moscow.csv');
    const status = await waitForImport(ctx, coordinator, importId);
    expect(status).toMatchObject({
      id: importId,
      status: 'done',
      version: 1,
      rowsTotal: 3660,
      rowsDone: 3660,
      errors: [],
      fileName: 'moscow.csv',
    });
    expect(await officialRowCount(importId)).toBe(3660);
    const [{ n }] = await ctx.db.query(`SELECT count(*)::int AS n FROM precincts WHERE election_id = $1`, [
      election.id,
    ]);
    expect(n).toBe(3660);
    const [row] = await ctx.db.query(
      `SELECT r.line_values FROM official_results r JOIN precincts p ON p.id = r.precinct_id
        WHERE r.import_id = $1 AND p.number = '592'`,
      [importId],
    );
    const csvRow = moscowRows().find((r) => r[4] === 'УИК №592')!;
    expect(row.line_values).toEqual(csvRow.slice(5, 31).map(Number));
    // Every real row satisfies the four error ratios; only warnings can be flagged.
    const flagged = await ctx.db.query(
      `SELECT DISTINCT unnest(violated_ratios) AS id FROM official_results WHERE import_id = $1`,
      [importId],
    );
    expect(
      flagged
        .map((f: { id: string }) => f.id)
        .every((id: string) => id.startsWith('issued_ge') || id.startsWith('outside_ge')),
    ).toBe(true);
    const list = await ctx
      .http()
      .get(`/api/elections/${election.slug}/imports`)
      .set(...bearer(coordinator))
      .expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(importId);
  });

  it('runs an import once: the job running again changes nothing', async () => {
    const [done] = await ctx.db.query(`SELECT id FROM official_imports WHERE election_id = $1 AND version = 1`, [
      election.id,
    ]);
    const { OfficialImportJob } = await import('@app/official-results');
    const outcome = await ctx.worker!.get(OfficialImportJob).run(done.id);
    expect(outcome).toEqual({ skipped: 'done' });
    expect(await officialRowCount(done.id)).toBe(3660);
  });

  it('accepts gzip, flags rows that break a control ratio and keeps them, as the next version', async () => {
    const file = gzipSync(
      moscowCsv((rows) => {
        rows[1][14] = String(Number(rows[1][14]) + 7); // line 10 (valid) no longer equals the sum of votes
      }),
    );
    const importId = await uploadOfficial(ctx, coordinator, election.slug, file, 'moscow.csv.gz');
    const status = await waitForImport(ctx, coordinator, importId);
    expect(status).toMatchObject({ status: 'done', version: 2, rowsTotal: 3660 });
    const [row] = await ctx.db.query(
      `SELECT violated_ratios FROM official_results WHERE import_id = $1 AND row_number = 2`,
      [importId],
    );
    expect(row.violated_ratios).toEqual(expect.arrayContaining(['valid_eq_votes', 'boxes_eq_counted']));
    expect(status.flaggedRows).toBeGreaterThan(0);
  });

  it('fails a file with a missing header, naming it, and keeps earlier versions', async () => {
    const file = moscowCsv((rows) => {
      for (const r of rows) r.splice(17, 1); // drop the КПРФ column
    });
    const importId = await uploadOfficial(ctx, coordinator, election.slug, file);
    const status = await waitForImport(ctx, coordinator, importId);
    expect(status.status).toBe('failed');
    expect(status.version).toBeNull();
    expect(status.errors).toHaveLength(1);
    expect(status.errors[0].row).toBe(1);
    expect(status.errors[0].message).toMatch(/missing header: "1\. Политическая партия "КОММУНИСТИЧЕСКАЯ/);
    expect(await officialRowCount(importId)).toBe(0);
  });

  it('fails a file with a non-numeric cell, a negative one and a duplicated precinct, listing each row', async () => {
    const file = moscowCsv((rows) => {
      rows[3][5] = 'abc';
      rows[5][20] = '-4';
      rows[9] = [...rows[7]];
    });
    const importId = await uploadOfficial(ctx, coordinator, election.slug, file);
    const status = await waitForImport(ctx, coordinator, importId);
    expect(status.status).toBe('failed');
    expect(status.version).toBeNull();
    const number = moscowRows()[7][4].replace(/\D/g, '');
    expect(status.errors).toEqual([
      { row: 4, message: 'line 1 (voters): "abc" is not a whole number' },
      { row: 6, message: 'line 16 (new_people): "-4" is negative' },
      { row: 8, message: `precinct ${number} of город Москва appears more than once` },
      { row: 10, message: `precinct ${number} of город Москва appears more than once` },
    ]);
    expect(await officialRowCount(importId)).toBe(0);
    const versions = await ctx.db.query(
      `SELECT version, (SELECT count(*)::int FROM official_results r WHERE r.import_id = i.id) AS rows
         FROM official_imports i WHERE election_id = $1 AND status = 'done' ORDER BY version`,
      [election.id],
    );
    expect(versions).toEqual([
      { version: 1, rows: 3660 },
      { version: 2, rows: 3660 },
    ]);
  });

  it("refuses a new election's file with an empty region, a cell out of range and a repeated precinct", async () => {
    const fresh = await ctx.newElection(admin);
    const file = moscowCsv((rows) => {
      rows[2][1] = '  ';
      rows[4][6] = '1000000000';
      rows[6][7] = ' +7 '; // read as 7, as PostgreSQL reads an int: not an error
      rows[9] = [...rows[8]];
    });
    const importId = await uploadOfficial(ctx, coordinator, fresh.slug, file);
    const status = await waitForImport(ctx, coordinator, importId);
    expect(status.status).toBe('failed');
    const number = moscowRows()[8][4].replace(/\D/g, '');
    expect(status.errors).toEqual([
      { row: 3, message: 'the region is empty' },
      { row: 5, message: expect.stringMatching(/^line 2 \(\w+\): "1000000000" is too large$/) },
      { row: 9, message: `precinct ${number} of город Москва appears more than once` },
      { row: 10, message: `precinct ${number} of город Москва appears more than once` },
    ]);
    const [{ n }] = await ctx.db.query(`SELECT count(*)::int AS n FROM precincts WHERE election_id = $1`, [fresh.id]);
    expect(n).toBe(0);
  });

  it('reads padded and signed numbers as PostgreSQL does, and updates a precinct whose district changed', async () => {
    const fresh = await ctx.newElection(admin);
    const label = moscowRows()[1][4];
    const first = moscowCsv((rows) => {
      rows[1][5] = ' +0012 ';
      rows[1][6] = '\t7';
      rows[1][7] = '-0';
    });
    const v1 = await waitForImport(ctx, coordinator, await uploadOfficial(ctx, coordinator, fresh.slug, first));
    expect(v1).toMatchObject({ status: 'done', version: 1, rowsTotal: 3660 });
    const [row] = await ctx.db.query(
      `SELECT r.line_values[1:3] AS v FROM official_results r JOIN official_imports i ON i.id = r.import_id
        WHERE i.election_id = $1 AND r.row_number = 2`,
      [fresh.id],
    );
    expect(row.v).toEqual([12, 7, 0]);
    const second = moscowCsv((rows) => {
      rows[1][2] = 'ОИК №999';
    });
    const v2 = await waitForImport(ctx, coordinator, await uploadOfficial(ctx, coordinator, fresh.slug, second));
    expect(v2).toMatchObject({ status: 'done', version: 2, rowsTotal: 3660 });
    const precincts = await ctx.db.query(
      `SELECT district, count(*)::int AS n FROM precincts WHERE election_id = $1 AND number = $2 GROUP BY district`,
      [fresh.id, label.replace(/\D/g, '')],
    );
    expect(precincts).toEqual([{ district: 'ОИК №999', n: 1 }]);
  });

  it('lists at most 100 row errors', async () => {
    const file = moscowCsv((rows) => {
      for (let i = 1; i <= 150; i++) rows[i][6] = 'x';
    });
    const importId = await uploadOfficial(ctx, coordinator, election.slug, file);
    const status = await waitForImport(ctx, coordinator, importId);
    expect(status.status).toBe('failed');
    expect(status.errors).toHaveLength(100);
    expect(status.errors[99].row).toBe(101);
  });

  it('fails a file that is not CSV or not gzip it claims to be, with a message', async () => {
    const broken = Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('not really gzip')]);
    const importId = await uploadOfficial(ctx, coordinator, election.slug, broken, 'x.csv.gz');
    const status = await waitForImport(ctx, coordinator, importId);
    expect(status.status).toBe('failed');
    expect(status.errors[0].message).toMatch(/not valid gzip/);
  });

  it('refuses uploads by observers, without a file, and for unknown elections', async () => {
    const observer = await ctx.newUser('observer');
    const small = Buffer.from('region,uik\n');
    await ctx
      .http()
      .post(`/api/elections/${election.slug}/official-results`)
      .set(...bearer(observer))
      .attach('file', small, 'small.csv')
      .expect(403);
    await ctx
      .http()
      .post(`/api/elections/${election.slug}/official-results`)
      .attach('file', small, 'small.csv')
      .expect(401);
    const res = await ctx
      .http()
      .post(`/api/elections/${election.slug}/official-results`)
      .set(...bearer(coordinator))
      .field('x', 'y')
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    await ctx
      .http()
      .post(`/api/elections/nope/official-results`)
      .set(...bearer(coordinator))
      .attach('file', small, 'small.csv')
      .expect(404);
    await ctx
      .http()
      .get(`/api/imports/not-a-uuid`)
      .set(...bearer(coordinator))
      .expect(404);
    const [{ n }] = await ctx.db.query(`SELECT count(*)::int AS n FROM official_imports WHERE election_id = $1`, [
      election.id,
    ]);
    expect(n).toBe(6);
  });
});
