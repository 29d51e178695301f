import { bearer, TestContext, TestUser } from '../support/test-context';

describe('accounts', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let coordinator: TestUser;

  beforeAll(async () => {
    ctx = await TestContext.create({ env: { ADMIN_EMAIL: 'Boot.Admin@example.org', ADMIN_PASSWORD: 'bootstrap-pw' } });
    admin = await ctx.newUser('admin');
    coordinator = await ctx.newUser('coordinator');
  });
  afterAll(() => ctx.close());

  it('creates the bootstrap admin from ADMIN_EMAIL, and logs in with any e-mail case', async () => {
    const res = await ctx
      .http()
      .post('/api/auth/login')
      .send({ email: 'boot.admin@EXAMPLE.org', password: 'bootstrap-pw' })
      .expect(200);
    expect(res.body.user).toMatchObject({ email: 'Boot.Admin@example.org', role: 'admin' });
    expect(res.body.accessToken).toEqual(expect.any(String));
  });

  it('answers a wrong password and an unknown user with the same 401', async () => {
    const wrong = await ctx
      .http()
      .post('/api/auth/login')
      .send({ email: admin.email, password: 'nope-nope' })
      .expect(401);
    const unknown = await ctx
      .http()
      .post('/api/auth/login')
      .send({ email: 'nobody@example.org', password: 'nope-nope' })
      .expect(401);
    expect(wrong.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Wrong e-mail or password' });
    expect(unknown.body).toEqual(wrong.body);
  });

  // Each attempt comes from its own address (behind the trusted loopback proxy), so that only
  // the per-e-mail count applies; the next test checks the per-address count.
  const loginFrom = (ip: string, email: string, password: string) =>
    ctx.http().post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  it('limits failed logins per e-mail to 10 a minute (429), then refuses even the right password', async () => {
    const victim = await ctx.newUser('observer');
    for (let i = 0; i < 10; i++) await loginFrom(`10.0.0.${i}`, victim.email, 'wrong-pass').expect(401);
    await loginFrom('10.0.1.1', victim.email, 'wrong-pass').expect(429);
    await loginFrom('10.0.1.2', victim.email, victim.password).expect(429);
  });

  it('limits failed logins per address to 10 a minute, whatever the e-mail', async () => {
    const user = await ctx.newUser('observer');
    for (let i = 0; i < 10; i++) await loginFrom('10.0.2.1', `guess${i}@example.org`, 'wrong-pass').expect(401);
    await loginFrom('10.0.2.1', user.email, user.password).expect(429);
    await loginFrom('10.0.2.2', user.email, user.password).expect(200);
  });

  it('does not count successful logins', async () => {
    const user = await ctx.newUser('observer');
    for (let i = 0; i < 12; i++) {
      await ctx.http().post('/api/auth/login').send({ email: user.email, password: user.password }).expect(200);
    }
  });

  it('refuses malformed bodies and unknown fields with 400', async () => {
    const res = await ctx
      .http()
      .post('/api/auth/login')
      .send({ email: 'a@b.c', password: 'x', admin: true })
      .expect(400);
    expect(res.body.message).toMatch(/property admin should not exist/);
    await ctx.http().post('/api/auth/login').send({ email: 5 }).expect(400);
  });

  describe('invites', () => {
    const invite = async (body: Record<string, unknown>, by: TestUser = coordinator) =>
      (
        await ctx
          .http()
          .post('/api/invites')
          .set(...bearer(by))
          .send(body)
          .expect(201)
      ).body.code as string;
    const register = (code: string, email = `new-${Math.random().toString(36).slice(2)}@example.org`) =>
      ctx.http().post('/api/auth/register').send({ code, email, password: 'long-enough-pw' });

    it('registers with a valid invite, with the invite role', async () => {
      const code = await invite({ role: 'moderator' });
      const res = await register(code).expect(201);
      expect(res.body.user.role).toBe('moderator');
      await ctx.http().get('/api/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    });

    it('refuses an expired invite', async () => {
      const code = await invite({ role: 'observer', expiresAt: new Date(Date.now() + 1000).toISOString() });
      await ctx.db.query(`UPDATE invites SET expires_at = now() - interval '1 second' WHERE code = $1`, [code]);
      const res = await register(code).expect(400);
      expect(res.body.message).toBe('The invite has expired');
    });

    it('refuses a used-up invite, also under concurrent registrations', async () => {
      const code = await invite({ role: 'observer', maxUses: 3 });
      const answers = await Promise.all(Array.from({ length: 8 }, () => register(code)));
      expect(answers.filter((r) => r.status === 201)).toHaveLength(3);
      expect(answers.filter((r) => r.status === 400).map((r) => r.body.message)).toEqual(
        Array(5).fill('The invite has been used up'),
      );
    });

    it('refuses an unknown code and a taken e-mail', async () => {
      expect((await register('no-such-code').expect(400)).body.message).toBe('The invite code is not valid');
      const code = await invite({ role: 'observer', maxUses: 2 });
      await register(code, 'same@example.org').expect(201);
      await register(code, 'SAME@example.org').expect(409);
    });

    it('refuses invites for roles above moderator', async () => {
      for (const role of ['coordinator', 'admin', 'root']) {
        const res = await ctx
          .http()
          .post('/api/invites')
          .set(...bearer(admin))
          .send({ role })
          .expect(400);
        expect(res.body.message).toMatch(/role must be observer or moderator/);
      }
    });
  });

  describe('role boundaries', () => {
    let observer: TestUser;
    let moderator: TestUser;
    beforeAll(async () => {
      observer = await ctx.newUser('observer');
      moderator = await ctx.newUser('moderator');
    });

    it.each([
      ['POST', '/api/invites', 'coordinator'],
      ['GET', '/api/invites', 'coordinator'],
      ['POST', '/api/users', 'admin'],
      ['GET', '/api/users', 'admin'],
      ['POST', '/api/elections', 'coordinator'],
    ])('%s %s needs %s: 401 without a token, 403 below it', async (method, path, minimum) => {
      const call = (user?: TestUser) => {
        const req = method === 'GET' ? ctx.http().get(path) : ctx.http().post(path).send({});
        return user ? req.set(...bearer(user)) : req;
      };
      await call().expect(401);
      const ladder = [observer, moderator, coordinator, admin];
      const allowedFrom = ['observer', 'moderator', 'coordinator', 'admin'].indexOf(minimum);
      for (const [i, user] of ladder.entries()) {
        const res = await call(user);
        if (i < allowedFrom) expect(res.status).toBe(403);
        else expect([200, 201, 400]).toContain(res.status);
      }
    });

    it('rejects a forged token with 401', async () => {
      const [h, p] = admin.token.split('.');
      await ctx.http().get('/api/auth/me').set('Authorization', `Bearer ${h}.${p}.forged`).expect(401);
      await ctx.http().get('/api/auth/me').set('Authorization', 'Basic abc').expect(401);
    });

    it('lets an admin create accounts of any role, once per e-mail', async () => {
      const body = { email: 'coord2@example.org', password: 'long-enough-pw', role: 'coordinator' };
      const res = await ctx
        .http()
        .post('/api/users')
        .set(...bearer(admin))
        .send(body)
        .expect(201);
      expect(res.body).toMatchObject({ email: body.email, role: 'coordinator', id: expect.any(String) });
      await ctx
        .http()
        .post('/api/users')
        .set(...bearer(admin))
        .send({ ...body, email: 'COORD2@example.org' })
        .expect(409);
    });
  });
});
