import { execSync } from 'node:child_process';
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
