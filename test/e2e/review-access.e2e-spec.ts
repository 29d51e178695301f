import { bearer, TestContext } from '../support/test-context';
import { claim, eventually } from '../support/review';

/**
 * The guard keeps looked-up accounts for a few seconds instead of reading the users table on
 * every request; a demoted or deleted moderator must still lose access, soon and for sure.
 */
describe('review: access follows account changes', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await TestContext.create();
  });
  afterAll(() => ctx.close());

  it('refuses review work to a moderator demoted to observer, at once with a new token', async () => {
    const m = await ctx.newUser('moderator');
    await claim(ctx, m).expect(204);
    await ctx.db.query(`UPDATE users SET role = 'observer' WHERE id = $1`, [m.id]);
    const login = await ctx.http().post('/api/auth/login').send({ email: m.email, password: m.password }).expect(200);
    await claim(ctx, { ...m, token: login.body.accessToken }).expect(403);
    // The old token still says moderator: refused once the cached account is read again.
    await eventually(async () => ((await claim(ctx, m)).status === 403 ? true : undefined));
  });

  it('refuses a deleted account', async () => {
    const m = await ctx.newUser('moderator');
    await claim(ctx, m).expect(204);
    await ctx.db.query(`DELETE FROM users WHERE id = $1`, [m.id]);
    const res = await eventually(async () => {
      const r = await claim(ctx, m);
      return r.status === 401 ? r : undefined;
    });
    expect(res.body.message).toMatch(/no longer exists/);
    await ctx
      .http()
      .get('/api/auth/me')
      .set(...bearer(m))
      .expect(401);
  });
});
