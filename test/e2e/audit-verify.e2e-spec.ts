import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { bearer, TestContext } from '../support/test-context';
import { claim, newReportsAwaitingReview, newReviewWorld, protocolValues, submit } from '../support/review';

const root = join(__dirname, '..', '..');

/** Runs scripts/audit-verify.ts as `npm run audit:verify` would, from the TypeScript sources. */
function auditVerify(databaseUrl: string) {
  return spawnSync(process.execPath, ['-r', './test/support/swc-register.js', 'scripts/audit-verify.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('audit:verify', () => {
  let ctx: TestContext;
  let reportId: string;

  beforeAll(async () => {
    ctx = await TestContext.create({ env: { REVIEWS_REQUIRED: '1' } });
    const admin = await ctx.newUser('admin');
    const world = await newReviewWorld(ctx, admin);
    [reportId] = await newReportsAwaitingReview(ctx, world, 1, 1);
    const moderator = await ctx.newUser('moderator');
    const task = (await claim(ctx, moderator).expect(200)).body;
    await submit(ctx, moderator, task.taskId, { values: protocolValues() }).expect(200);
    const coordinator = await ctx.newUser('coordinator');
    const trail = await ctx
      .http()
      .get(`/api/audit?reportId=${reportId}`)
      .set(...bearer(coordinator))
      .expect(200);
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual([
      'task.claimed',
      'task.submitted',
      'report.reviewed',
    ]);
    expect(trail.body.items[1]).toMatchObject({ actorId: moderator.id, prevHash: trail.body.items[0].hash });
  });
  afterAll(() => ctx.close());

  it('exits 0 while the chain is whole', () => {
    const result = auditVerify(ctx.env.DATABASE_URL);
    expect(result.stdout).toMatch(/Audit log intact: 3 entries/);
    expect(result.stderr + result.stdout).not.toMatch(/TAMPERED/);
    expect(result.status).toBe(0);
  });

  it('exits 1 naming an edited entry', async () => {
    const [row] = await ctx.db.query(`SELECT id FROM audit_log WHERE action = 'task.submitted'`);
    await ctx.db.query(`UPDATE audit_log SET actor_id = NULL WHERE id = $1`, [row.id]);
    const result = auditVerify(ctx.env.DATABASE_URL);
    expect(result.stdout).toMatch(`entry ${row.id}: its content does not match its hash (edited)`);
    expect(result.status).toBe(1);
  });

  it('exits 1 naming a deleted entry', async () => {
    const [row] = await ctx.db.query(`SELECT id FROM audit_log WHERE action = 'task.submitted'`);
    await ctx.db.query(`DELETE FROM audit_log WHERE id = $1`, [row.id]);
    const result = auditVerify(ctx.env.DATABASE_URL);
    expect(result.stdout).toMatch(/does not follow the entry before it \(one was deleted or inserted\)/);
    expect(result.status).toBe(1);
  });
});
