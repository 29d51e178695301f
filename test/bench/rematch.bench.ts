/*
 * A full rematch of the national 2021 results: 96,325 precincts, each with one reviewed report
 * (every 10th differing on two lines), through the matching service, against one hand-written
 * INSERT … SELECT computing the same outcome into a plain table, on the same server.
 */
import { MatchingService } from '@app/matching';
import { importOfficialResults } from '../support/analysis';
import { NATIONAL_CSV_GZ } from '../support/data';
import { reviewEveryPrecinct, waitForMatching } from '../support/official';
import { TestContext } from '../support/test-context';
import { reportBench, timed } from './bench-report';

/** Array indexes of the candidate lines (13–26) in the 2021 federal template. */
const CANDIDATES = Array.from({ length: 14 }, (_, i) => 13 + i);

/**
 * The same outcome as the project's rematch, written the plain way (no upsert, no comparison
 * with stored rows, no removal of stale rows): every status the contract knows, the reports
 * named, the leader's line found from the latest version's sums, the previous version ($3, none
 * here) joined, and the effect on the leader (`OFFSET 0` computes each status once). Without
 * the previous version, the report ids and the effect it was a lighter job than the project's.
 */
const BASELINE_SQL = `
WITH leader AS (
  SELECT c.i FROM (SELECT ${CANDIDATES.map((i) => `sum(line_values[${i}]) AS s${i}`).join(', ')}
                     FROM official_results WHERE import_id = $2) t
  CROSS JOIN LATERAL (VALUES ${CANDIDATES.map((i) => `(${i}, t.s${i})`).join(', ')}) AS c(i, s)
  ORDER BY c.s DESC NULLS LAST, c.i LIMIT 1
)
INSERT INTO bench_matches (precinct_id, status, report_ids, observed, official, previous_official, effect)
SELECT j.precinct_id, j.status, j.report_ids,
       CASE WHEN j.status <> 'conflicting_reports' THEN j.lo END, j.official,
       CASE WHEN j.status = 'official_changed' THEN j.previous END,
       coalesce(CASE j.status
         WHEN 'conflicting_reports' THEN j.spread
         WHEN 'mismatch' THEN abs(j.official[j.l] - j.lo[j.l])
         WHEN 'official_changed' THEN greatest(abs(j.official[j.l] - j.previous[j.l]), abs(j.official[j.l] - j.lo[j.l]))
       END, 0)
  FROM (SELECT o.*, cur.line_values AS official, prv.line_values AS previous, (SELECT i FROM leader) AS l,
               CASE WHEN o.lo <> o.hi THEN 'conflicting_reports' WHEN cur.line_values IS NULL THEN 'no_official'
                    WHEN prv.line_values <> cur.line_values THEN 'official_changed'
                    WHEN cur.line_values IS DISTINCT FROM o.lo THEN 'mismatch' ELSE 'match' END AS status
          FROM (SELECT precinct_id, array_agg(id ORDER BY reviewed_at, id) AS report_ids,
                       min(final_values) AS lo, max(final_values) AS hi,
                       max(final_values[(SELECT i FROM leader)]) - min(final_values[(SELECT i FROM leader)]) AS spread
                  FROM reports WHERE election_id = $1 AND status = 'reviewed' AND final_values IS NOT NULL
                 GROUP BY precinct_id) o
          LEFT JOIN official_results cur ON cur.import_id = $2 AND cur.precinct_id = o.precinct_id
          LEFT JOIN official_results prv ON prv.import_id = $3 AND prv.precinct_id = o.precinct_id
        OFFSET 0) j`;

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
      `CREATE TABLE bench_matches (precinct_id int PRIMARY KEY, status text NOT NULL, report_ids uuid[] NOT NULL,
         observed int[], official int[], previous_official int[], effect int NOT NULL)`,
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
      baseline.push(await timed(() => ctx.db.query(BASELINE_SQL, [election.id, importId, null])));
      await ctx.db.query(`DELETE FROM precinct_matches WHERE election_id = $1`, [election.id]);
      fresh.push(await timed(() => matching.matchElection(election.id)));
      unchanged.push(await timed(() => matching.matchElection(election.id)));
    }
    const counts = async (table: string, where: string) =>
      ctx.db.query(
        `SELECT status, count(*)::int AS n, sum(effect)::int AS effect, sum(cardinality(report_ids))::int AS reports
           FROM ${table} ${where} GROUP BY status ORDER BY status`,
        [...(where ? [election.id] : [])],
      );
    const ours = await counts('precinct_matches', 'WHERE election_id = $1');
    expect(ours).toEqual(await counts('bench_matches', ''));
    expect(ours).toEqual([
      { status: 'match', n: expect.any(Number), effect: 0, reports: expect.any(Number) },
      { status: 'mismatch', n: expect.any(Number), effect: expect.any(Number), reports: expect.any(Number) },
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
