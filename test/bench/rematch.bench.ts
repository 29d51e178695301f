/*
 * A full rematch of the national 2021 results: 96,325 precincts, each with one reviewed report
 * (every 10th differing on two lines), through the matching service, against one hand-written
 * INSERT … SELECT computing the same statuses into a plain table, on the same server.
 */
import { MatchingService } from '@app/matching';
import { importOfficialResults } from '../support/analysis';
import { NATIONAL_CSV_GZ } from '../support/data';
import { reviewEveryPrecinct, waitForMatching } from '../support/official';
import { TestContext } from '../support/test-context';
import { reportBench, timed } from './bench-report';

/** The same statuses, written the plain way: no upsert, no effect, no previous version. */
const BASELINE_SQL = `
INSERT INTO bench_matches (precinct_id, status, observed, official)
SELECT o.precinct_id,
       CASE WHEN o.lo <> o.hi THEN 'conflicting_reports' WHEN cur.line_values IS NULL THEN 'no_official'
            WHEN cur.line_values IS DISTINCT FROM o.lo THEN 'mismatch' ELSE 'match' END,
       o.lo, cur.line_values
  FROM (SELECT precinct_id, min(final_values) AS lo, max(final_values) AS hi FROM reports
         WHERE election_id = $1 AND status = 'reviewed' GROUP BY precinct_id) o
  LEFT JOIN official_results cur ON cur.import_id = $2 AND cur.precinct_id = o.precinct_id`;

describe('rematch benchmark', () => {
  let ctx: TestContext;
  let election: { slug: string; id: string };
  let importId: string;

  beforeAll(async () => {
    // The reconciler stays out of the measurements.
    ctx = await TestContext.create({ worker: true, env: { RECONCILE_INTERVAL_MS: '3600000' } });
    const admin = await ctx.newUser('admin');
    const observer = await ctx.newUser('observer');
    election = await ctx.newElection(admin);
    importId = await importOfficialResults(ctx, admin, election.slug, NATIONAL_CSV_GZ);
    await waitForMatching(ctx);
    const reports = await reviewEveryPrecinct(ctx, {
      electionId: election.id,
      importId,
      observerId: observer.id,
      mismatchEvery: 10,
    });
    expect(reports).toBe(96_325);
    await ctx.db.query(`ANALYZE reports`);
    await ctx.db.query(
      `CREATE TABLE bench_matches (precinct_id int PRIMARY KEY, status text NOT NULL, observed int[], official int[])`,
    );
  }, 20 * 60_000);
  afterAll(() => ctx.close());

  it('rematches the whole country', async () => {
    const matching = ctx.worker!.get(MatchingService);
    const rounds = 3;
    const fresh: number[] = [];
    const unchanged: number[] = [];
    const baseline: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await ctx.db.query(`TRUNCATE bench_matches`);
      baseline.push(await timed(() => ctx.db.query(BASELINE_SQL, [election.id, importId])));
      await ctx.db.query(`DELETE FROM precinct_matches WHERE election_id = $1`, [election.id]);
      fresh.push(await timed(() => matching.matchElection(election.id)));
      unchanged.push(await timed(() => matching.matchElection(election.id)));
    }
    const counts = async (table: string, where: string) =>
      ctx.db.query(`SELECT status, count(*)::int AS n FROM ${table} ${where} GROUP BY status ORDER BY status`, [
        ...(where ? [election.id] : []),
      ]);
    const ours = await counts('precinct_matches', 'WHERE election_id = $1');
    expect(ours).toEqual(await counts('bench_matches', ''));
    expect(ours).toEqual([
      { status: 'match', n: expect.any(Number) },
      { status: 'mismatch', n: expect.any(Number) },
    ]);
    const best = (xs: number[]) => Math.min(...xs);
    reportBench('rematch', [
      {
        name: '96,325 precincts, no stored results (best of 3)',
        value: best(fresh),
        unit: 'ms',
        baseline: best(baseline),
        ratio: best(fresh) / best(baseline),
        goal: '≤ 1.5× and < 2000 ms',
      },
      {
        name: '96,325 precincts, nothing changed (best of 3)',
        value: best(unchanged),
        unit: 'ms',
        baseline: best(baseline),
        ratio: best(unchanged) / best(baseline),
        goal: '≤ 1.5× and < 2000 ms',
      },
    ]);
  });
});
