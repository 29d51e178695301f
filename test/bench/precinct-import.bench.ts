/*
 * Loading the national precinct list (96,325 rows, gzip) through the API, against `psql \copy`
 * of the same file into a plain 32-column text table (gunzip in a pipe), on the same server.
 */
import { createReadStream } from 'node:fs';
import { NATIONAL_CSV_GZ } from '../support/data';
import { bearer, TestContext, TestUser } from '../support/test-context';
import { reportBench, timed } from './bench-report';
import { psqlCopyBaseline } from './psql-baseline';

describe('precinct import benchmark', () => {
  let ctx: TestContext;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.newUser('admin');
  });
  afterAll(() => ctx.close());

  it('loads the national precinct list', async () => {
    const psqlRound = await psqlCopyBaseline(ctx);
    const psqlMs = [] as number[];
    const apiMs = [] as number[];
    for (let round = 0; round < 3; round++) {
      psqlMs.push(await psqlRound());
      const { slug } = await ctx.newElection(admin);
      let total = 0;
      apiMs.push(
        await timed(async () => {
          const res = await ctx
            .http()
            .post(`/api/elections/${slug}/precincts`)
            .set(...bearer(admin))
            .attach('file', createReadStream(NATIONAL_CSV_GZ), 'national.csv.gz')
            .expect(201);
          total = res.body.inserted;
        }),
      );
      expect(total).toBe(96_325);
    }
    const best = (xs: number[]) => Math.min(...xs);
    reportBench('precinct-import', [
      {
        name: 'national precinct list, 96,325 rows (best of 3)',
        value: best(apiMs),
        unit: 'ms',
        baseline: best(psqlMs),
        ratio: best(apiMs) / best(psqlMs),
        goal: 'seconds, not minutes',
      },
    ]);
  });
});
