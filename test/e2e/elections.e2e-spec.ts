import { createReadStream, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { MOSCOW_CSV } from '../support/data';
import { bearer, TestContext, TestUser } from '../support/test-context';

/** Text as Windows-1251 bytes (ASCII, А–я, Ё, ё, № and the en dash: all the Moscow file holds). */
function windows1251(text: string): Buffer {
  const special: Record<string, number> = { Ё: 0xa8, ё: 0xb8, '№': 0xb9, '–': 0x96 };
  return Buffer.from(
    Array.from(text, (ch) => {
      const code = ch.codePointAt(0)!;
      if (code < 0x80) return code;
      if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
      if (special[ch] !== undefined) return special[ch];
      throw new Error(`no Windows-1251 byte for ${ch}`);
    }),
  );
}

const customTemplate = (ratios: Array<{ id: string; expr: string; severity: string }>) => ({
  template: {
    precinctColumns: { region: 'region', number: 'uik' },
    lines: [
      { n: 1, key: 'voters', label: 'Voters', column: 'voters' },
      { n: 2, key: 'valid', label: 'Valid', column: 'valid' },
      { n: 3, key: 'a', label: 'A', column: 'a', candidate: true },
      { n: 4, key: 'b', label: 'B', column: 'b', candidate: true },
    ],
    ratios,
  },
});

describe('elections, templates and precincts', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let coordinator: TestUser;

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.newUser('admin');
    coordinator = await ctx.newUser('coordinator');
  });
  afterAll(() => ctx.close());

  it('creates an election on the 2021 preset: 26 lines, 4 error ratios and 2 warnings', async () => {
    const election = await ctx.newElection(coordinator);
    const res = await ctx.http().get(`/api/elections/${election.slug}`).expect(200);
    const { lines, ratios, precinctColumns } = res.body.template;
    expect(lines).toHaveLength(26);
    expect(lines.filter((l: { candidate?: boolean }) => l.candidate)).toHaveLength(14);
    expect(ratios.map((r: { severity: string }) => r.severity).sort()).toEqual([
      'error',
      'error',
      'error',
      'error',
      'warning',
      'warning',
    ]);
    // The preset's columns are exactly the headers of the official CSV.
    const header = readFileSync(MOSCOW_CSV, 'utf8').split('\n')[0];
    for (const line of lines) expect(header).toContain(line.column.replace(/"/g, '""'));
    expect(precinctColumns).toEqual({ region: 'region', district: 'oik', territory: 'tik', number: 'uik' });
    const list = await ctx.http().get('/api/elections').expect(200);
    expect(list.body.map((e: { slug: string }) => e.slug)).toContain(election.slug);
  });

  it('creates an election with a custom template', async () => {
    const election = await ctx.newElection(
      admin,
      customTemplate([{ id: 'sum', expr: 'L2 = L3 + L4', severity: 'error' }]),
    );
    expect(election.template).toMatchObject({ lines: expect.any(Array) });
  });

  it.each([
    ['an unknown line', 'L2 = L3 + L9', /refers to line 9, which the template does not have/],
    ['no comparison', 'L2 + L3', /has no comparison/],
    ['a dangling operator', 'L2 = L3 +', /ends where a line \(Lk\) was expected/],
    ['a number instead of a line', 'L2 = 5', /expected a line like L1 but found "5"/],
    ['two comparisons', 'L1 >= L2 = L3', /unexpected "="/],
    ['an unknown operator', 'L2 * L3 = L4', /expected =, >= or <= but found "\*"/],
    ['lower case', 'l2 = L3', /expected a line like L1 but found "l"/],
  ])('refuses a ratio with %s (400 naming the problem)', async (_, expr, message) => {
    const res = await ctx
      .http()
      .post('/api/elections')
      .set(...bearer(admin))
      .send({ slug: 'bad-template', name: 'Bad', ...customTemplate([{ id: 'r1', expr, severity: 'error' }]) })
      .expect(400);
    expect(res.body.message).toMatch(message);
    expect(res.body.message).toMatch(/ratio "r1"/);
  });

  it('refuses duplicated line numbers and keys, a bad severity, and a preset plus a template', async () => {
    const post = (body: object) =>
      ctx
        .http()
        .post('/api/elections')
        .set(...bearer(admin))
        .send({ slug: 'bad', name: 'Bad', ...body })
        .expect(400);
    const dup = customTemplate([]);
    dup.template.lines[1].n = 1;
    dup.template.lines[3].key = 'a';
    const res = await post(dup);
    expect(res.body.message).toMatch(/line number 1 is used twice/);
    expect(res.body.message).toMatch(/line key "a" is used twice/);
    expect((await post(customTemplate([{ id: 'x', expr: 'L1 >= L2', severity: 'fatal' }]))).body.message).toMatch(
      /severity must be one of/,
    );
    await post({ templatePreset: 'ru-duma-2021-federal', ...customTemplate([]) });
    await post({ templatePreset: 'no-such-preset' });
    await post({});
    await ctx.http().get('/api/elections/no-such-election').expect(404);
  });

  it('refuses a second election with the same slug (409)', async () => {
    const election = await ctx.newElection(admin);
    await ctx
      .http()
      .post('/api/elections')
      .set(...bearer(admin))
      .send({ slug: election.slug, name: 'Again', templatePreset: 'ru-duma-2021-federal' })
      .expect(409);
  });

  describe('precinct registry', () => {
    let slug: string;
    const upload = (body: Buffer | string, name = 'precincts.csv') =>
      ctx
        .http()
        .post(`/api/elections/${slug}/precincts`)
        .set(...bearer(coordinator))
        .attach('file', typeof body === 'string' ? createReadStream(body) : body, name);

    beforeAll(async () => {
      slug = (await ctx.newElection(admin)).slug;
    });

    it('imports the Moscow file: 3,660 precincts, 15 of them e-voting', async () => {
      const res = await upload(MOSCOW_CSV).expect(201);
      expect(res.body).toEqual({ total: 3660, inserted: 3660, updated: 0, unchanged: 0 });
      const all = await ctx.http().get(`/api/elections/${slug}/precincts?region=город Москва&pageSize=1`).expect(200);
      expect(all.body.total).toBe(3660);
      const [{ evoting }] = await ctx.db.query(
        `SELECT count(*)::int AS evoting FROM precincts p JOIN elections e ON e.id = p.election_id
          WHERE e.slug = $1 AND p.evoting`,
        [slug],
      );
      expect(evoting).toBe(15);
    });

    it('finds a precinct by region and number, with the number rule applied', async () => {
      const res = await ctx
        .http()
        .get(`/api/elections/${slug}/precincts`)
        .query({ region: 'город Москва', number: '592' })
        .expect(200);
      expect(res.body.total).toBe(1);
      expect(res.body.items[0]).toMatchObject({ region: 'город Москва', number: '592', evoting: false });
      expect(res.body.items[0].district).toMatch(/^ОИК №\d+$/);
      const evoting = await ctx
        .http()
        .get(`/api/elections/${slug}/precincts`)
        .query({ region: 'город Москва', number: '5001' })
        .expect(200);
      expect(evoting.body.items[0]).toMatchObject({ evoting: true, district: 'ОИК №196' });
    });

    it('lists the regions with their precinct counts and gives one precinct by id, to anyone', async () => {
      const regions = await ctx.http().get(`/api/elections/${slug}/precincts/regions`).expect(200);
      expect(regions.body).toEqual([{ region: 'город Москва', precincts: 3660 }]);
      const found = await ctx.http().get(`/api/elections/${slug}/precincts`).query({ number: '592' }).expect(200);
      const one = await ctx.http().get(`/api/elections/${slug}/precincts/${found.body.items[0].id}`).expect(200);
      expect(one.body).toEqual(found.body.items[0]);
      await ctx.http().get(`/api/elections/${slug}/precincts/2147483647`).expect(404);
      for (const bad of ['abc', '0', '-1', '1.5', '2147483648', '99999999999']) {
        const res = await ctx.http().get(`/api/elections/${slug}/precincts/${bad}`).expect(400);
        expect(res.body.message).toBe('the precinct id must be a whole number from 1 to 2147483647');
      }
      await ctx
        .http()
        .patch(`/api/elections/${slug}/precincts/99999999999`)
        .set(...bearer(coordinator))
        .send({ evoting: true })
        .expect(400);
      await ctx.http().get(`/api/elections/no-such-election/precincts/regions`).expect(404);
      const deep = await ctx.http().get(`/api/elections/${slug}/precincts`).query({ page: '1e20' }).expect(400);
      expect(deep.body.message).toBe('page must not be greater than 1000000');
    });

    it('changes nothing when the same file (gzipped this time) is imported again', async () => {
      const res = await upload(gzipSync(readFileSync(MOSCOW_CSV)), 'moscow.csv.gz').expect(201);
      expect(res.body).toEqual({ total: 3660, inserted: 0, updated: 0, unchanged: 3660 });
    });

    it('names empty-label rows E + district digits and applies an explicit evoting column', async () => {
      const csv =
        'region,oik,tik,uik,evoting\nАлтайский край,ОИК №39,Дистанционное электронное голосование,,\nАлтайский край,ОИК №39,Тик,УИК №7,true\n';
      await upload(Buffer.from(csv)).expect(201);
      const find = async (number: string) =>
        (await ctx.http().get(`/api/elections/${slug}/precincts`).query({ region: 'Алтайский край', number })).body
          .items[0];
      expect(await find('E39')).toMatchObject({ evoting: true, territory: 'Дистанционное электронное голосование' });
      expect(await find('7')).toMatchObject({ evoting: true });
    });

    it('lets a coordinator set the evoting flag, and keeps it on a re-import without that column', async () => {
      const [precinct] = (
        await ctx.http().get(`/api/elections/${slug}/precincts`).query({ region: 'город Москва', number: '592' })
      ).body.items;
      await ctx
        .http()
        .patch(`/api/elections/${slug}/precincts/${precinct.id}`)
        .set(...bearer(await ctx.newUser('moderator')))
        .send({ evoting: true })
        .expect(403);
      const res = await ctx
        .http()
        .patch(`/api/elections/${slug}/precincts/${precinct.id}`)
        .set(...bearer(coordinator))
        .send({ evoting: true })
        .expect(200);
      expect(res.body.evoting).toBe(true);
      await upload(MOSCOW_CSV).expect(201);
      const again = await ctx.http().get(`/api/elections/${slug}/precincts/${precinct.id}`).expect(200);
      expect(again.body.evoting).toBe(true);
    });

    it('refuses a file with a missing header, naming it, and changes nothing', async () => {
      const before = (await ctx.http().get(`/api/elections/${slug}/precincts?pageSize=1`)).body.total;
      const res = await upload(Buffer.from('region,oik,tik\nX,ОИК №1,T\n')).expect(400);
      expect(res.body.message).toMatch(/missing header: "uik"/);
      expect((await ctx.http().get(`/api/elections/${slug}/precincts?pageSize=1`)).body.total).toBe(before);
    });

    it('refuses rows without a number or with a repeated precinct, naming the rows', async () => {
      const res = await upload(Buffer.from('region,oik,uik\nR,ОИК №1,УИК №5\nR,,\nR,ОИК №1,УИК №5\n')).expect(400);
      expect(res.body.message).toMatch(/row 3: no precinct number/);
      expect(res.body.message).toMatch(/row 2: precinct 5 of R appears more than once/);
      expect(res.body.message).toMatch(/row 4: precinct 5 of R appears more than once/);
    });

    it('refuses a request without a file, an empty file and malformed CSV', async () => {
      await ctx
        .http()
        .post(`/api/elections/${slug}/precincts`)
        .set(...bearer(coordinator))
        .send({})
        .expect(400);
      await upload(Buffer.from('')).expect(400);
      const res = await upload(Buffer.from('region,uik\n"unterminated,1\n')).expect(400);
      expect(res.body.message).toMatch(/not valid CSV/);
      // Refused at its header while the rest of a large file still streams in: answered all the same.
      const rows = readFileSync(MOSCOW_CSV, 'utf8').split('\n').slice(1).join('\n');
      const large = await upload(Buffer.from(`region,"uik"x\n${rows}`)).expect(400);
      expect(large.body.message).toMatch(/the header line is not valid CSV/);
    });

    it('names the encoding of a file exported as Windows-1251', async () => {
      const res = await upload(windows1251(readFileSync(MOSCOW_CSV, 'utf8'))).expect(400);
      expect(res.body.message).toMatch(
        /the header line is not UTF-8 text: save the file as UTF-8 \(not Windows-1251\)/,
      );
    });
  });
});
