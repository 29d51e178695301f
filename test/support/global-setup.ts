import { migrateDatabase } from '@app/database';
import { randomBytes } from 'node:crypto';
import { databaseUrl, templateDatabase, TEST_DATABASE_URL, TEST_REDIS_URL, withAdminClient } from './test-env';
import IORedis from 'ioredis';

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
}
