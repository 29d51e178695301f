import { bearer, TestContext, TestUser } from '../support/test-context';

describe('operations', () => {
  let ctx: TestContext;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.newUser('admin');
  });
  afterAll(() => ctx.close());

  it('reports PostgreSQL and Redis up', async () => {
    const res = await ctx.http().get('/api/health').expect(200);
    expect(res.body.info).toEqual({ database: { status: 'up' }, redis: { status: 'up' } });
  });

  it('serves the OpenAPI document', async () => {
    const res = await ctx.http().get('/api/docs/json').expect(200);
    expect(res.body.paths['/api/auth/login']).toBeDefined();
    expect(res.body.paths['/api/elections/{slug}/precincts']).toBeDefined();
  });

  it('answers unknown routes and malformed JSON with the one error shape', async () => {
    expect((await ctx.http().get('/api/nope').expect(404)).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot GET /api/nope',
    });
    const res = await ctx
      .http()
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email":')
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it('answers a JSON body it will not read (too large, another charset or encoding) with its 4xx', async () => {
    const login = () => ctx.http().post('/api/auth/login').set('Content-Type', 'application/json');
    const large = await login()
      .send(JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(200_000) }))
      .expect(413);
    expect(large.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'The request body is larger than the 100 kB this route reads',
    });
    const latin = await login()
      .set('Content-Type', 'application/json; charset=latin1')
      .send('{"email":"a@b.c","password":"x"}')
      .expect(415);
    expect(latin.body.message).toBe('The charset "latin1" is not supported: send JSON as UTF-8');
    const packed = await login().set('Content-Encoding', 'compress').send('{}').expect(415);
    expect(packed.body.message).toBe('The content encoding "compress" is not supported');
    const fields = Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&');
    const form = await ctx
      .http()
      .post('/api/auth/login')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(fields)
      .expect(413);
    expect(form.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: 'Too many parameters' });
  });

  it('answers a NUL character in a path, a query or a JSON body with a 400 and stores nothing', async () => {
    const nul = {
      statusCode: 400,
      error: 'Bad Request',
      message: 'Text in the request holds a NUL character (\\u0000), which cannot be stored',
    };
    const { slug } = await ctx.newElection(admin);
    expect((await ctx.http().get('/api/elections/a%00b/summary').expect(400)).body).toEqual(nul);
    expect((await ctx.http().get(`/api/elections/${slug}/discrepancies?region=%00`).expect(400)).body).toEqual(nul);
    const res = await ctx
      .http()
      .post('/api/elections')
      .set(...bearer(admin))
      .send({ slug: 'nul-in-name', name: 'Duma\u0000', templatePreset: 'ru-duma-2021-federal' })
      .expect(400);
    expect(res.body).toEqual(nul);
    expect(await ctx.db.query(`SELECT 1 FROM elections WHERE slug = 'nul-in-name'`)).toEqual([]);
  });

  it('gives every response a request id, keeping a sane one from the client', async () => {
    const res = await ctx.http().get('/api/health').set('X-Request-Id', 'abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
    const generated = await ctx.http().get('/api/health').set('X-Request-Id', 'bad id with spaces');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('opens the queue dashboard to admins only, through a session cookie', async () => {
    await ctx.http().get('/api/admin/queues').expect(401);
    const coordinator = await ctx.newUser('coordinator');
    await ctx
      .http()
      .get('/api/admin/queues')
      .set(...bearer(coordinator))
      .expect(403);
    await ctx
      .http()
      .post('/api/admin/session')
      .set(...bearer(coordinator))
      .expect(403);
    const session = await ctx
      .http()
      .post('/api/admin/session')
      .set(...bearer(admin))
      .expect(204);
    const cookie = session.headers['set-cookie'][0];
    expect(cookie).toMatch(/vc_admin=.*HttpOnly.*SameSite=Strict/i);
    const page = await ctx.http().get('/api/admin/queues').set('Cookie', cookie.split(';')[0]).expect(200);
    expect(page.text).toMatch(/<html/i);
    const queues = await ctx.http().get('/api/admin/queues/api/queues').set('Cookie', cookie.split(';')[0]).expect(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name).sort()).toEqual([
      'arbitration',
      'matching',
      'official-results',
      'photos',
      'review',
    ]);
  });
});
