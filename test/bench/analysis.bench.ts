/*
 * The analyses on the national 2021 results (96,325 rows): the e-voting report and the
 * forensics through the API, against one hand-written SQL aggregate over the same rows
 * (sums of valid ballots and every party per district and voting mode) on the same server.
 */
import { importOfficialResults } from '../support/analysis';
import { NATIONAL_CSV_GZ } from '../support/data';
import { TestContext, TestUser } from '../support/test-context';
import { reportBench, timed } from './bench-report';

const KPRF = 13;
const ER = 17;

describe('analysis benchmark', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let election: { slug: string; id: string };

  beforeAll(async () => {
    ctx = await TestContext.create({ worker: true });
    admin = await ctx.newUser('admin');
    election = await ctx.newElection(admin);
    await importOfficialResults(ctx, admin, election.slug, NATIONAL_CSV_GZ);
  }, 20 * 60_000);
  afterAll(() => ctx.close());

  it('runs the whole analysis of the national file in seconds, with the same Moscow answers', async () => {
    const base = `/api/elections/${election.slug}/analysis`;
    const evoting = await ctx.http().get(`${base}/evoting`).expect(200);
    const share = (side: { lines: Array<{ n: number; share: number }> }, n: number) =>
      side.lines.find((l) => l.n === n)!.share.toFixed(2);
    const moscow = evoting.body.regions.find((r: { region: string }) => r.region === 'город Москва');
    expect([share(moscow.paper, KPRF), share(moscow.paper, ER)]).toEqual(['30.36', '30.16']);
    expect([share(moscow.evoting, KPRF), share(moscow.evoting, ER)]).toEqual(['15.53', '44.77']);
    const moscowDistricts = evoting.body.districts.filter((d: { region: string }) => d.region === 'город Москва');
    expect(moscowDistricts).toHaveLength(15);
    expect(moscowDistricts.filter((d: { reversed: boolean }) => d.reversed)).toHaveLength(10);
    expect(evoting.body.districts.length).toBeGreaterThanOrEqual(225);

    const sums = Array.from({ length: 14 }, (_, i) => `sum(r.line_values[${13 + i}])`).join(', ');
    const aggregate = () =>
      ctx.db.query(
        `SELECT p.region, p.district, p.evoting, sum(r.line_values[10]), ${sums}
           FROM official_results r JOIN precincts p ON p.id = r.precinct_id
          WHERE r.import_id = $1 GROUP BY 1, 2, 3`,
        [evoting.body.importId],
      );
    const best = async (work: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) times.push(await timed(work));
      return Math.min(...times);
    };
    const baseline = await best(aggregate);
    const evotingMs = await best(() => ctx.http().get(`${base}/evoting`).expect(200));
    const forensicsMs = await best(() => ctx.http().get(`${base}/forensics`).expect(200));
    const moscowMs = await best(() =>
      ctx.http().get(`${base}/forensics`).query({ region: 'город Москва' }).expect(200),
    );
    const allMs = await best(() =>
      Promise.all([ctx.http().get(`${base}/evoting`).expect(200), ctx.http().get(`${base}/forensics`).expect(200)]),
    );
    reportBench('analysis', [
      {
        name: 'e-voting report, national (best of 5)',
        value: evotingMs,
        unit: 'ms',
        baseline,
        ratio: evotingMs / baseline,
        goal: 'a few seconds',
      },
      {
        name: 'forensics, national (best of 5)',
        value: forensicsMs,
        unit: 'ms',
        baseline,
        ratio: forensicsMs / baseline,
        goal: 'a few seconds',
      },
      { name: 'forensics, Moscow only (best of 5)', value: moscowMs, unit: 'ms' },
      {
        name: 'whole analysis, national, both at once',
        value: allMs,
        unit: 'ms',
        baseline,
        ratio: allMs / baseline,
        goal: 'a few seconds',
      },
    ]);
  });
});
