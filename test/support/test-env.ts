import { Client } from 'pg';

/** The servers tests run against; each run makes its own databases and key prefixes there. */
export const TEST_DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

export function databaseUrl(name: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function runId(): string {
  const id = process.env.VOTECHECK_TEST_RUN;
  if (!id) throw new Error('VOTECHECK_TEST_RUN is not set: run tests through jest with test/jest.config.js');
  return id;
}

export const templateDatabase = (run: string): string => `vc_test_${run}_tpl`;
