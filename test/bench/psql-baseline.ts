import { execSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { NATIONAL_CSV_GZ } from '../support/data';
import { TestContext } from '../support/test-context';
import { timed } from './bench-report';

/**
 * The import benchmarks' baseline: `psql \copy` of the national file (gunzip in a pipe) into a
 * plain 32-column text table of the test database. Returns one timed round (the table emptied
 * first), in ms.
 */
export async function psqlCopyBaseline(ctx: TestContext): Promise<() => Promise<number>> {
  const columns = Array.from({ length: 32 }, (_, i) => `c${i + 1} text`).join(', ');
  await ctx.db.query(`CREATE TABLE bench_raw (${columns})`);
  const copy = `gunzip -c '${NATIONAL_CSV_GZ}' | psql -q '${ctx.env.DATABASE_URL}' -c "\\copy bench_raw from stdin with (format csv, header)"`;
  return async () => {
    await ctx.db.query(`TRUNCATE bench_raw`);
    return timed(async () => execSync(copy));
  };
}

/** The 26 line cells of the staged national file, as an `int[]` of staged row `s`. */
const STAGED_LINES = `ARRAY[${Array.from({ length: 26 }, (_, i) => `s.c${i + 6}`).join(', ')}]`;

/**
 * A psql script that stages the national file in `floor_staging`, a temporary table typed like
 * the project's fast path (26 `int NOT NULL` line columns), then runs `statements`, all in one
 * transaction.
 */
function stagedScript(statements: string[]): string {
  const cell = (i: number) => `c${i} ${i >= 6 && i <= 31 ? 'int NOT NULL' : 'text'}`;
  const columns = Array.from({ length: 32 }, (_, i) => cell(i + 1)).join(', ');
  const names = Array.from({ length: 32 }, (_, i) => `c${i + 1}`).join(', ');
  return [
    `BEGIN;`,
    `SET LOCAL jit = off;`,
    `CREATE TEMP TABLE floor_staging (row_no int GENERATED ALWAYS AS IDENTITY (START WITH 2), ${columns}) ON COMMIT DROP;`,
    `\\copy floor_staging (${names}) from program 'gunzip -c ${NATIONAL_CSV_GZ}' with (format csv, header)`,
    ...statements,
    `COMMIT;`,
  ].join('\n');
}

/** One timed round of a floor: psql runs the script made for a new id, in ms. */
function psqlRound(ctx: TestContext, script: (id: string) => string): () => Promise<number> {
  return async () => {
    const input = script(randomUUID());
    return timed(async () => execSync(`psql -q -v ON_ERROR_STOP=1 '${ctx.env.DATABASE_URL}'`, { input }));
  };
}

/** A table shaped like `official_results`, its primary key included. */
const resultsTable = (name: string) => `CREATE TABLE ${name} (import_id uuid NOT NULL, precinct_id int NOT NULL,
    row_number int NOT NULL, line_values int[] NOT NULL, violated_ratios text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (import_id, precinct_id))`;

/**
 * The least a staged import can do, run by psql in the same run as the baseline: `\copy` of
 * the file into a temporary table typed like the project's fast path, then ONE
 * `INSERT … SELECT` of every row into a table shaped like `official_results` (its primary key
 * included), joined to a table of the file's precincts on the raw region and label cells.
 * Nothing else: no trimming, no precinct-number rule, no control ratios, no precinct upsert, no
 * HTTP upload, no queue. Returns one timed round, in ms.
 */
export async function psqlStagedFloor(ctx: TestContext): Promise<() => Promise<number>> {
  await ctx.db.query(`CREATE TABLE floor_precincts (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region text NOT NULL, number text NOT NULL, UNIQUE (region, number))`);
  await ctx.db.query(resultsTable('floor_results'));
  // The file's own precincts, keyed by the raw cells (an electronic-voting row has no label).
  await ctx.db.query(`INSERT INTO floor_precincts (region, number)
    SELECT DISTINCT c2, coalesce(c5, c3) FROM bench_raw ORDER BY 1, 2`);
  await ctx.db.query(`ANALYZE floor_precincts`);
  return psqlRound(ctx, (importId) =>
    stagedScript([
      `INSERT INTO floor_results (import_id, precinct_id, row_number, line_values)
         SELECT '${importId}', p.id, s.row_no, ${STAGED_LINES}
           FROM floor_staging s JOIN floor_precincts p ON p.region = s.c2 AND p.number = coalesce(s.c5, s.c3);`,
    ]),
  );
}

/**
 * The least a staged import into a new election can do, on one connection: `psqlStagedFloor`
 * with the file's precincts created in the same transaction, in a table shaped like
 * `precincts` (its primary key, unique key and district index), which holds the earlier
 * rounds' elections as the project's table does. The precincts are keyed by the raw cells
 * (unique in the national file), one per row, then every row is joined to them. Returns one
 * timed round, in ms.
 */
export async function psqlNewElectionFloor(ctx: TestContext): Promise<() => Promise<number>> {
  await ctx.db.query(`CREATE TABLE floor_election_precincts (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    election_id uuid NOT NULL, region text NOT NULL, district text, territory text, number text NOT NULL,
    evoting boolean NOT NULL DEFAULT false, UNIQUE (election_id, region, number))`);
  await ctx.db.query(`CREATE INDEX ON floor_election_precincts (election_id, district)`);
  await ctx.db.query(resultsTable('floor_election_results'));
  return psqlRound(ctx, (electionId) =>
    stagedScript([
      `INSERT INTO floor_election_precincts (election_id, region, district, territory, number)
         SELECT '${electionId}', c2, c3, c4, coalesce(c5, c3) FROM floor_staging;`,
      `INSERT INTO floor_election_results (import_id, precinct_id, row_number, line_values)
         SELECT '${electionId}', p.id, s.row_no, ${STAGED_LINES}
           FROM floor_staging s
           JOIN floor_election_precincts p ON p.election_id = '${electionId}' AND p.region = s.c2 AND p.number = coalesce(s.c5, s.c3);`,
    ]),
  );
}
