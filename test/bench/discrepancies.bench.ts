/*
 * Discrepancy list latency at national size: 96,325 precincts with a reviewed report, every
 * 4th on the public list (24k items). Pages through the API (first, deep, one region, one
 * status), against the same HTTP stack answering `GET /api/elections/:slug` in the same run.
 */
import { MatchingService } from '@app/matching';
import { importOfficialResults } from '../support/analysis';
import { NATIONAL_CSV_GZ } from '../support/data';
import { reviewEveryPrecinct, waitForMatching } from '../support/official';
import { TestContext } from '../support/test-context';
import { percentile, reportBench, timed } from './bench-report';

const REQUESTS = 200;

describe('discrepancy list benchmark', () => {
  let ctx: TestContext;
  let election: { slug: string; id: string };

  beforeAll(async () => {
    // The reconciler stays out of the measurements.
    ctx = await TestContext.create({ worker: true, env: { RECONCILE_INTERVAL_MS: '3600000' } });
    const admin = await ctx.newUser('admin');
    const observer = await ctx.newUser('observer');
    election = await ctx.newElection(admin);
    const importId = await importOfficialResults(ctx, admin, election.slug, NATIONAL_CSV_GZ);
    await waitForMatching(ctx);
    await reviewEveryPrecinct(ctx, { electionId: election.id, importId, observerId: observer.id, mismatchEvery: 4 });
    await ctx.worker!.get(MatchingService).matchElection(election.id);
    // As autovacuum would after 96k inserts: the counts then read the indexes alone.
    await ctx.db.query(`VACUUM ANALYZE precinct_matches`);
  }, 20 * 60_000);
  afterAll(() => ctx.close());

  /** Latencies of `REQUESTS` sequential GETs, sorted. */
  const latencies = async (path: string): Promise<number[]> => {
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) times.push(await timed(() => ctx.http().get(path).expect(200)));
    return times.sort((a, b) => a - b);
  };

  it('answers pages of the national list', async () => {
    const base = `/api/elections/${election.slug}`;
    const first = await ctx.http().get(`${base}/discrepancies`).expect(200);
    expect(first.body.items).toHaveLength(50);
    expect(first.body.total).toBeGreaterThan(20_000);
    const baseline = await latencies(base);
    const cases: Array<[string, string]> = [
      ['first page (50)', `${base}/discrepancies`],
      ['page 200 (50)', `${base}/discrepancies?page=200`],
      ['one region, page 2 (50)', `${base}/discrepancies?region=${encodeURIComponent('город Москва')}&page=2`],
      ['status=match, 500 items', `${base}/discrepancies?status=match&pageSize=500`],
    ];
    const figures = [];
    for (const [name, path] of cases) {
      const times = await latencies(path);
      figures.push({
        name: `${name}, p99 of ${REQUESTS}`,
        value: percentile(times, 99),
        unit: 'ms',
        baseline: percentile(baseline, 99),
        ratio: percentile(times, 99) / percentile(baseline, 99),
        goal: 'p99 < 50 ms',
      });
      figures.push({
        name: `${name}, p50`,
        value: percentile(times, 50),
        unit: 'ms',
        baseline: percentile(baseline, 50),
      });
    }
    const summary = await latencies(`${base}/summary`);
    figures.push({
      name: `summary, p99 of ${REQUESTS}`,
      value: percentile(summary, 99),
      unit: 'ms',
      baseline: percentile(baseline, 99),
      ratio: percentile(summary, 99) / percentile(baseline, 99),
    });
    const csvMs = await timed(() => ctx.http().get(`${base}/discrepancies.csv`).expect(200));
    figures.push({ name: 'whole list as CSV, once', value: csvMs, unit: 'ms' });
    reportBench('discrepancies', figures);
  });
});
