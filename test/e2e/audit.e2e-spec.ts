import { AuditService } from '@app/audit';
import { TestContext } from '../support/test-context';

describe('audit log', () => {
  let ctx: TestContext;
  let audit: AuditService;

  beforeAll(async () => {
    ctx = await TestContext.create();
    audit = ctx.api.get(AuditService);
  });
  afterAll(() => ctx.close());

  const append = (n: number) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        ctx.db.transaction((m) =>
          audit.append(m, { action: 'report.received', data: { i, nested: { b: 1, a: [i] } } }),
        ),
      ),
    );

  it('keeps one unbroken chain under concurrent appends', async () => {
    await append(30);
    expect(await audit.verify()).toEqual({ ok: true, entries: 30, problems: [] });
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
    await ctx.db.query(`TRUNCATE audit_log`);
    await ctx.db.query(`UPDATE audit_head SET last_id = NULL, last_hash = repeat('0', 64)`);
    await append(5);
    expect((await audit.verify()).ok).toBe(true);
    const ids = (await ctx.db.query(`SELECT id FROM audit_log ORDER BY id`)).map((r: { id: string }) => r.id);
    await ctx.db.query(`DELETE FROM audit_log WHERE id = $1`, [ids[4]]);
    expect((await audit.verify()).problems).toEqual([expect.stringMatching(/entries deleted at the end/)]);
    await ctx.db.query(`DELETE FROM audit_log WHERE id = $1`, [ids[2]]);
    expect((await audit.verify()).problems[0]).toMatch(`entry ${ids[3]}: does not follow the entry before it`);
  });
});
