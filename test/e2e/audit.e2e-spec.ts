import { AuditService } from '@app/audit';
import { randomUUID } from 'node:crypto';
import { newPrecinct, postReport, protocolJpeg } from '../support/reports';
import { TestContext } from '../support/test-context';

describe('audit log', () => {
  let ctx: TestContext;
  let audit: AuditService;

  beforeAll(async () => {
    ctx = await TestContext.create();
    audit = ctx.api.get(AuditService);
  });
  afterAll(() => ctx.close());

  /** `n` concurrent transactions, each appending one entry (to `reportIds[i % length]` if given). */
  const append = (n: number, reportIds: Array<string | null> = [null]) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        ctx.db.transaction((m) =>
          audit.append(m, {
            action: 'report.received',
            reportId: reportIds[i % reportIds.length],
            data: { i, nested: { b: 1, a: [i] } },
          }),
        ),
      ),
    );

  const reset = async () => {
    await ctx.db.query(`TRUNCATE audit_log`);
    await ctx.db.query(`DELETE FROM audit_streams`);
  };

  const chain = async (stream: string) =>
    ctx.db.query(`SELECT id::text, prev_hash, hash FROM audit_log WHERE stream = $1 ORDER BY audit_log.id`, [stream]);

  it('keeps one unbroken chain under concurrent appends', async () => {
    await append(30);
    expect(await audit.verify()).toEqual({ ok: true, entries: 30, problems: [] });
    const global = await chain('global');
    expect(global).toHaveLength(30);
    expect(global[0].prev_hash).toBe('0'.repeat(64));
    global.slice(1).forEach((e: { prev_hash: string }, i: number) => expect(e.prev_hash).toBe(global[i].hash));
  });

  it('keeps one chain per report, each linked in order, under concurrent appends to many reports', async () => {
    const reports = Array.from({ length: 5 }, () => randomUUID());
    await append(40, reports);
    expect(await audit.verify()).toEqual({ ok: true, entries: 70, problems: [] });
    for (const r of reports) {
      const entries = await chain(r);
      expect(entries).toHaveLength(8);
      expect(entries[0].prev_hash).toBe('0'.repeat(64));
      entries.slice(1).forEach((e: { prev_hash: string }, i: number) => expect(e.prev_hash).toBe(entries[i].hash));
    }
  });

  it('writes several entries of one transaction as consecutive links of their report chain', async () => {
    const reportId = randomUUID();
    await ctx.db.transaction((m) =>
      audit.appendAll(m, [
        { action: 'task.submitted', reportId, data: { n: 1 } },
        // Hashed by PostgreSQL on write and by audit:verify in Node: both must see the same bytes.
        { action: 'report.reviewed', reportId, data: { n: 2, text: 'Протокол не читается 📷 "\\ \t', x: 1.5 } },
        { action: 'task.claimed', data: { n: 3 } },
      ]),
    );
    const entries = await ctx.db.query(`SELECT action, prev_hash, hash FROM audit_log WHERE stream = $1 ORDER BY id`, [
      reportId,
    ]);
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['task.submitted', 'report.reviewed']);
    expect(entries[1].prev_hash).toBe(entries[0].hash);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('refuses to append outside a transaction', async () => {
    await expect(audit.append(ctx.db.manager, { action: 'report.received' })).rejects.toThrow(/in a transaction/);
  });

  it('detects an edited entry', async () => {
    const [{ id }] = await ctx.db.query(`SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 5`);
    await ctx.db.query(`UPDATE audit_log SET data = '{"i": 999}' WHERE id = $1`, [id]);
    const result = await audit.verify();
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([`entry ${id}: its content does not match its hash (edited)`]);
  });

  it('detects a deleted entry in the middle and at the end', async () => {
    await reset();
    await append(5);
    expect((await audit.verify()).ok).toBe(true);
    const ids = (await ctx.db.query(`SELECT id FROM audit_log ORDER BY id`)).map((r: { id: string }) => r.id);
    await ctx.db.query(`DELETE FROM audit_log WHERE id = $1`, [ids[4]]);
    expect((await audit.verify()).problems).toEqual([expect.stringMatching(/entries deleted at the end/)]);
    await ctx.db.query(`DELETE FROM audit_log WHERE id = $1`, [ids[2]]);
    expect((await audit.verify()).problems[0]).toMatch(`entry ${ids[3]}: does not follow the entry before it`);
  });

  it('detects every entry of a report deleted, and an entry moved to another report', async () => {
    await reset();
    const [a, b] = [randomUUID(), randomUUID()];
    await append(6, [a, b]);
    expect((await audit.verify()).ok).toBe(true);
    const [moved] = await ctx.db.query(
      `SELECT id::text FROM audit_log WHERE stream = $1 ORDER BY audit_log.id LIMIT 1`,
      [b],
    );
    await ctx.db.query(`UPDATE audit_log SET stream = $2::text, report_id = $2::uuid WHERE id = $1`, [moved.id, a]);
    const afterMove = await audit.verify();
    expect(afterMove.ok).toBe(false);
    expect(afterMove.problems).toContainEqual(expect.stringMatching(`entry ${moved.id}: `));
    await ctx.db.query(`DELETE FROM audit_log WHERE stream IN ($1, $2)`, [a, b]);
    const afterDelete = (await audit.verify()).problems;
    expect(afterDelete).toHaveLength(2);
    expect(afterDelete).toEqual(
      expect.arrayContaining([
        expect.stringMatching(`stream ${a}: every entry was deleted`),
        expect.stringMatching(`stream ${b}: every entry was deleted`),
      ]),
    );
  });

  it('opens a report’s chain with report.received in the upload itself, once per report', async () => {
    await reset();
    const admin = await ctx.newUser('admin');
    const observer = await ctx.newUser('observer');
    const election = await ctx.newElection(admin);
    const precinct = await newPrecinct(ctx, election.id);
    const photo = await protocolJpeg({ seed: 61 });
    const form = { region: precinct.region, number: precinct.number, clientReportId: randomUUID() };
    const res = await postReport(ctx, election.slug, observer, { ...form, photos: [{ data: photo }] }).expect(202);
    // No worker runs here: the entry can only come from the upload's transaction.
    const [sha] = (await ctx.db.query(`SELECT sha256 FROM photos WHERE report_id = $1`, [res.body.id])).map(
      (r: { sha256: string }) => r.sha256,
    );
    const entries = await ctx.db.query(
      `SELECT action, actor_id AS "actorId", stream, data, prev_hash AS "prevHash" FROM audit_log WHERE report_id = $1`,
      [res.body.id],
    );
    expect(entries).toEqual([
      {
        action: 'report.received',
        actorId: observer.id,
        stream: res.body.id,
        data: { precinctId: precinct.id, photos: [sha] },
        prevHash: '0'.repeat(64),
      },
    ]);
    await postReport(ctx, election.slug, observer, { ...form, photos: [{ data: photo }] }).expect(200);
    const after = await ctx.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE report_id = $1`, [res.body.id]);
    expect(after).toEqual([{ n: 1 }]);
    expect(await audit.verify()).toEqual({ ok: true, entries: 1, problems: [] });
  });
});
