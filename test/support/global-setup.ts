import { migrateDatabase } from '@app/database';
import { randomBytes } from 'node:crypto';
import { databaseUrl, templateDatabase, TEST_DATABASE_URL, TEST_REDIS_URL, withAdminClient } from './test-env';
import IORedis from 'ioredis';
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Once per run: a template database with every migration applied. Each test file clones it
 * (CREATE DATABASE … TEMPLATE is a file copy, far faster than migrating again).
 */
export default async function globalSetup(): Promise<void> {
  const run = randomBytes(4).toString('hex');
  process.env.VOTECHECK_TEST_RUN = run;
  const redis = new IORedis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    throw new Error(`Tests need Redis at ${TEST_REDIS_URL} (set REDIS_URL): ${(e as Error).message}`);
  } finally {
    redis.disconnect();
  }
  const template = templateDatabase(run);
  try {
    await withAdminClient((c) => c.query(`CREATE DATABASE ${template}`));
  } catch (e) {
    throw new Error(`Tests need PostgreSQL at ${TEST_DATABASE_URL} (set DATABASE_URL): ${(e as Error).message}`);
  }
  await migrateDatabase(databaseUrl(template));
  buildWebUiIfStale();
}

/** Browser tests need dist/web; rebuild it when any source under apps/web is newer. */
function buildWebUiIfStale(): void {
  const root = join(__dirname, '..', '..');
  const index = join(root, 'dist', 'web', 'index.html');
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
      const path = join(dir, e.name);
      return Math.max(max, e.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, 0);
  if (!existsSync(join(root, 'apps', 'web', 'index.html'))) return;
  if (existsSync(index) && statSync(index).mtimeMs >= newest(join(root, 'apps', 'web'))) return;
  execSync('npm run build:web', { cwd: root, stdio: 'ignore' });
}
