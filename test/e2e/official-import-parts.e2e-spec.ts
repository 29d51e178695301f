import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { moscowCsv, moscowRows, uploadOfficial, waitForImport } from '../support/official';
import { TestContext, TestUser } from '../support/test-context';

/**
 * An import loaded in parts on several connections at once, as the national file is: here the
 * Moscow file (1.2 MB) in four parts of at least 64 KiB.
 */
describe('official-results import in parts', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let coordinator: TestUser;

  beforeAll(async () => {
    ctx = await TestContext.create({ worker: true, env: { IMPORT_PARALLELISM: '4', IMPORT_PART_MIN_KB: '64' } });
    admin = await ctx.newUser('admin');
    coordinator = await ctx.newUser('coordinator');
  });
  afterAll(() => ctx.close());

  /** Every official row of an import as [file line, label digits, line values]. */
  const officialRows = async (importId: string) =>
    (
      await ctx.db.query(
        `SELECT r.row_number, p.number, r.line_values FROM official_results r JOIN precincts p ON p.id = r.precinct_id
          WHERE r.import_id = $1 ORDER BY r.row_number`,
        [importId],
      )
    ).map((r: { row_number: number; number: string; line_values: number[] }) => [
      r.row_number,
      r.number,
      r.line_values,
    ]);
  /** What the worker's job returned for an import. */
  const outcomeOf = async (importId: string) => {
    const { getQueueToken } = await import('@nestjs/bullmq');
    const { QueueName } = await import('@app/queue');
    const queue = ctx.api.get(getQueueToken(QueueName.OfficialResults), { strict: false });
    return (await queue.getJob(`import-${importId}`))?.returnvalue;
  };
  const fileRows = (rows: string[][]) =>
    rows.slice(1).map((r, i) => [i + 2, r[4].replace(/\D/g, '').replace(/^0+(?=\d)/, ''), r.slice(5, 31).map(Number)]);

  it('writes every row once, with its own file line, as one version; the next version too', async () => {
    const election = await ctx.newElection(admin);
    const first = await uploadOfficial(ctx, coordinator, election.slug, gzipSync(moscowCsv()), 'moscow.csv.gz');
    expect(await waitForImport(ctx, coordinator, first)).toMatchObject({
      status: 'done',
      version: 1,
      rowsTotal: 3660,
      rowsDone: 3660,
    });
    expect(await officialRows(first)).toEqual(fileRows(moscowRows()));
    expect(await outcomeOf(first)).toEqual({ status: 'done', version: 1, rows: 3660, parts: 4 });
    const [{ n }] = await ctx.db.query(`SELECT count(*)::int AS n FROM precincts WHERE election_id = $1`, [
      election.id,
    ]);
    expect(n).toBe(3660);

    const changed = moscowCsv((rows) => {
      rows[3000][6] = String(Number(rows[3000][6]) + 5);
    });
    const second = await uploadOfficial(ctx, coordinator, election.slug, changed);
    expect(await waitForImport(ctx, coordinator, second)).toMatchObject({ status: 'done', version: 2 });
    const rows = moscowRows().map((r) => [...r]);
    rows[3000][6] = String(Number(rows[3000][6]) + 5);
    expect(await officialRows(second)).toEqual(fileRows(rows));
  });

  it('refuses a file whose bad rows lie in different parts, naming each, and keeps nothing of it', async () => {
    const election = await ctx.newElection(admin);
    const file = moscowCsv((rows) => {
      rows[3500][7] = 'x';
      rows[3600] = [...rows[10]]; // the same precinct in the first and the last part
    });
    const importId = await uploadOfficial(ctx, coordinator, election.slug, file);
    const status = await waitForImport(ctx, coordinator, importId);
    const number = moscowRows()[10][4].replace(/\D/g, '');
    expect(status).toMatchObject({ status: 'failed', version: null });
    expect(status.errors).toEqual([
      { row: 11, message: `precinct ${number} of город Москва appears more than once` },
      { row: 3501, message: expect.stringMatching(/^line 3 \(\w+\): "x" is not a whole number$/) },
      { row: 3601, message: `precinct ${number} of город Москва appears more than once` },
    ]);
    const [left] = await ctx.db.query(
      `SELECT (SELECT count(*)::int FROM official_results WHERE import_id = $1) AS rows,
              (SELECT count(*)::int FROM precincts WHERE election_id = $2) AS precincts`,
      [importId, election.id],
    );
    expect(left).toEqual({ rows: 0, precincts: 0 });
  });

  it('refuses a repeated precinct in two parts of a file that is fine otherwise', async () => {
    const election = await ctx.newElection(admin);
    const file = moscowCsv((rows) => {
      rows[3659] = [...rows[1]];
    });
    const importId = await uploadOfficial(ctx, coordinator, election.slug, file);
    const status = await waitForImport(ctx, coordinator, importId);
    expect(status.status).toBe('failed');
    expect(status.errors.map((e: { row: number }) => e.row)).toEqual([2, 3660]);
    const [{ n }] = await ctx.db.query(`SELECT count(*)::int AS n FROM official_results WHERE import_id = $1`, [
      importId,
    ]);
    expect(n).toBe(0);
  });

  it('runs a lost import again from scratch, when parts of its interrupted run had committed', async () => {
    const election = await ctx.newElection(admin);
    const first = await uploadOfficial(ctx, coordinator, election.slug, moscowCsv());
    await waitForImport(ctx, coordinator, first);
    // An interrupted run of a next version, whose job is gone from the queue: its later parts
    // committed, the import did not. The reconciler finds it and runs it again.
    const [imp] = await ctx.db.query(`SELECT file_path, created_by FROM official_imports WHERE id = $1`, [first]);
    const id = randomUUID();
    await ctx.db.query(
      `INSERT INTO official_imports (id, election_id, status, file_path, created_by, created_at)
       VALUES ($1, $2, 'running', $3, $4, now() - interval '1 hour')`,
      [id, election.id, imp.file_path, imp.created_by],
    );
    await ctx.db.query(
      `INSERT INTO official_results (import_id, precinct_id, row_number, line_values, violated_ratios)
       SELECT $1, precinct_id, row_number, line_values, violated_ratios FROM official_results
        WHERE import_id = $2 AND row_number > 2000`,
      [id, first],
    );
    expect(await waitForImport(ctx, coordinator, id)).toMatchObject({ status: 'done', version: 2, rowsTotal: 3660 });
    expect(await officialRows(id)).toEqual(fileRows(moscowRows()));
    expect(await outcomeOf(id)).toMatchObject({ status: 'done', parts: 4 });
  });
});
