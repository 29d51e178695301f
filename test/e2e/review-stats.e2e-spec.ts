import { bearer, TestContext, TestUser } from '../support/test-context';
import { claim, newReportsAwaitingReview, newReviewWorld, protocolValues, submit } from '../support/review';

interface Stats {
  moderatorId: string;
  email: string;
  tasksDone: number;
  agreementRate: number | null;
  medianSeconds: number | null;
}

/** Its own database, so the statistics cover exactly the work done here. */
describe('review: per-moderator statistics and arbitration by a third moderator', () => {
  let ctx: TestContext;
  let coordinator: TestUser;
  let x: TestUser;
  let y: TestUser;
  let z: TestUser;
  let idle: TestUser;

  beforeAll(async () => {
    ctx = await TestContext.create({ env: { REVIEWS_REQUIRED: '2' } });
    const admin = await ctx.newUser('admin');
    coordinator = await ctx.newUser('coordinator');
    [x, y, z, idle] = await Promise.all([1, 2, 3, 4].map(() => ctx.newUser('moderator')));
    const world = await newReviewWorld(ctx, admin);
    await newReportsAwaitingReview(ctx, world, 1);
  });
  afterAll(() => ctx.close());

  /** Sets how long a task took, from claim to submit. */
  const took = (taskId: string, seconds: number) =>
    ctx.db.query(`UPDATE review_tasks SET claimed_at = finished_at - $2 * interval '1 second' WHERE id = $1`, [
      taskId,
      seconds,
    ]);

  it('lets a moderator who has not touched the report arbitrate it; the arbiter values are final', async () => {
    const tx = (await claim(ctx, x).expect(200)).body;
    const ty = (await claim(ctx, y).expect(200)).body;
    await submit(ctx, x, tx.taskId, { values: protocolValues() }).expect(200);
    await submit(ctx, y, ty.taskId, { values: protocolValues({ '17': 60, '18': 400 }) }).expect(200);
    await ctx.relayOutbox();
    await claim(ctx, x, 'arbitrate').expect(204);
    const arb = (await claim(ctx, z, 'arbitrate').expect(200)).body;
    expect(arb).toMatchObject({ reportId: tx.reportId, kind: 'arbitrate', differingLines: [17, 18] });
    const done = await submit(ctx, z, arb.taskId, { values: protocolValues() }).expect(200);
    expect(done.body.reportStatus).toBe('reviewed');
    await took(tx.taskId, 10);
    await took(ty.taskId, 40);
    await took(arb.taskId, 90);
  });

  it('counts tasks, agreement with the final values and the median time per moderator', async () => {
    const admin = await ctx.newUser('admin');
    await newReportsAwaitingReview(ctx, await newReviewWorld(ctx, admin), 1);
    const tx = (await claim(ctx, x).expect(200)).body;
    const ty = (await claim(ctx, y).expect(200)).body;
    await submit(ctx, x, tx.taskId, { values: protocolValues() }).expect(200);
    await submit(ctx, y, ty.taskId, { values: protocolValues() }).expect(200);
    await took(tx.taskId, 30);
    await took(ty.taskId, 60);

    const res = await ctx
      .http()
      .get('/api/review/stats')
      .set(...bearer(coordinator))
      .expect(200);
    const of = (u: TestUser) => res.body.items.find((s: Stats) => s.moderatorId === u.id);
    expect(of(x)).toEqual({ moderatorId: x.id, email: x.email, tasksDone: 2, agreementRate: 1, medianSeconds: 20 });
    expect(of(y)).toEqual({ moderatorId: y.id, email: y.email, tasksDone: 2, agreementRate: 0.5, medianSeconds: 50 });
    // An arbitration counts as a task done; it is final by definition, so not as agreement.
    expect(of(z)).toEqual({ moderatorId: z.id, email: z.email, tasksDone: 1, agreementRate: null, medianSeconds: 90 });
    expect(of(idle)).toEqual({
      moderatorId: idle.id,
      email: idle.email,
      tasksDone: 0,
      agreementRate: null,
      medianSeconds: null,
    });
    expect(res.body.items.map((s: Stats) => s.tasksDone)).toEqual(
      [...res.body.items.map((s: Stats) => s.tasksDone)].sort((a, b) => b - a),
    );
    await ctx
      .http()
      .get('/api/review/stats')
      .set(...bearer(x))
      .expect(403);
  });
});
