/*
 * Importing the national official results (96,325 rows, gzip) through the API and the worker,
 * from the upload to the import being done, against `psql \copy` of the same file into a plain
 * 32-column text table (gunzip in a pipe), on the same server in the same run; and the floor
 * of any import that stages the file and joins it to the precincts (`psqlStagedFloor`), and of
 * one that also creates them (`psqlNewElectionFloor`). The API and the worker run in their own
 * processes, built, as in production.
 */
import { ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import request from 'supertest';
import { NATIONAL_CSV_GZ } from '../support/data';
import { builtEntry, killChild, spawnBuiltApi, spawnEntry } from '../support/reports';
import { waitForMatching } from '../support/official';
import { bearer, TestContext, TestUser } from '../support/test-context';
import { reportBench, timed } from './bench-report';
import { psqlCopyBaseline, psqlNewElectionFloor, psqlStagedFloor } from './psql-baseline';

describe('official-results import benchmark', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let worker: ChildProcess;
  let api: ChildProcess;
  let apiUrl: string;

  beforeAll(async () => {
    // The reconciler stays out of the measurements.
    ctx = await TestContext.create({ env: { RECONCILE_INTERVAL_MS: '3600000' } });
    // The worker and the API as they run in production: each its own process, built.
    worker = spawnEntry(ctx, builtEntry('worker'));
    ({ child: api, url: apiUrl } = await spawnBuiltApi(ctx));
    admin = await ctx.newUser('admin');
  });
  afterAll(async () => {
    await killChild(api, 'SIGTERM');
    await killChild(worker, 'SIGTERM');
    await ctx.close();
  });

  /** Upload, then poll the status closely (10 ms) so that the poll adds little to the figure. */
  const importThroughApi = async (slug: string): Promise<{ status: string; rowsDone: number }> => {
    const res = await request(apiUrl)
      .post(`/api/elections/${slug}/official-results`)
      .set(...bearer(admin))
      .attach('file', createReadStream(NATIONAL_CSV_GZ), 'national.csv.gz')
      .expect(202);
    for (;;) {
      const [row] = await ctx.db.query(`SELECT status, rows_done AS "rowsDone" FROM official_imports WHERE id = $1`, [
        res.body.importId,
      ]);
      if (row.status === 'done' || row.status === 'failed') return row;
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('imports the national file', async () => {
    const psqlRound = await psqlCopyBaseline(ctx);
    await psqlRound(); // fills bench_raw, from which the floor takes its precincts
    const floorRound = await psqlStagedFloor(ctx);
    const newFloorRound = await psqlNewElectionFloor(ctx);
    const psqlMs: number[] = [];
    const floorMs: number[] = [];
    const newFloorMs: number[] = [];
    const freshMs: number[] = [];
    const againMs: number[] = [];
    const { slug: again } = await ctx.newElection(admin);
    for (let round = 0; round < 3; round++) {
      psqlMs.push(await psqlRound());
      floorMs.push(await floorRound());
      newFloorMs.push(await newFloorRound());
      // A new election each round: every precinct is created as well.
      const { slug } = await ctx.newElection(admin);
      let outcome = { status: '', rowsDone: 0 };
      freshMs.push(await timed(async () => (outcome = await importThroughApi(slug))));
      expect(outcome).toEqual({ status: 'done', rowsDone: 96_325 });
      // The rematch each import queues is measured by its own benchmark: not during the next import.
      await waitForMatching(ctx);
      // The next version of one election: the precincts exist.
      againMs.push(await timed(async () => (outcome = await importThroughApi(again))));
      expect(outcome).toEqual({ status: 'done', rowsDone: 96_325 });
      await waitForMatching(ctx);
    }
    const best = (xs: number[]) => Math.min(...xs);
    reportBench('official-import', [
      {
        name: 'national file, new election (best of 3)',
        value: best(freshMs),
        unit: 'ms',
        baseline: best(psqlMs),
        ratio: best(freshMs) / best(psqlMs),
        goal: '≤ 2× psql \\copy',
      },
      {
        name: 'national file, next version (best of 3)',
        value: best(againMs),
        unit: 'ms',
        baseline: best(psqlMs),
        ratio: best(againMs) / best(psqlMs),
        goal: '≤ 2× psql \\copy',
      },
      {
        name: 'floor: typed staging + one joined INSERT',
        value: best(floorMs),
        unit: 'ms',
        baseline: best(psqlMs),
        ratio: best(floorMs) / best(psqlMs),
        goal: 'what any staged import costs at least',
      },
      {
        name: 'floor, new election: + creating precincts',
        value: best(newFloorMs),
        unit: 'ms',
        baseline: best(psqlMs),
        ratio: best(newFloorMs) / best(psqlMs),
        goal: 'the same, creating the precincts',
      },
    ]);
  });
});
