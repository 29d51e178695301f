/*
 * `npm start`: finds or starts PostgreSQL and Redis, applies migrations, starts the API (which
 * serves the web UI) and the worker, seeds demo data on first start, and stops everything on
 * Ctrl-C. Production runs the api and worker entry points directly (see docker/).
 */
import 'reflect-metadata';
import { migrateDatabase } from '@app/database';
import { join, resolve } from 'node:path';
import { ManagedProcess } from './local/child-process';
import { ensurePostgres, LocalService } from './local/postgres';
import { ensureRedis } from './local/redis';
import { isListening, waitFor } from './local/tcp';
import { seedDemoData } from './demo/seed';

const log = (line: string) => process.stdout.write(`[start] ${line}\n`);

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..');
  process.chdir(root);
  const varDir = resolve(process.env.VAR_DIR || 'var');
  const services: LocalService[] = [];
  const processes: ManagedProcess[] = [];
  let shuttingDown = false;

  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log('Stopping…');
    await Promise.all(processes.map((p) => p.stop()));
    for (const service of services.reverse()) await service.stop().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    const postgres = await ensurePostgres(varDir, log);
    services.push(postgres);
    const redis = await ensureRedis(varDir, log);
    services.push(redis);
    log(`PostgreSQL: ${postgres.source}`);
    log(`Redis: ${redis.source}`);

    const port = Number(process.env.PORT || 3000);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      VAR_DIR: varDir,
      STORAGE_DIR: process.env.STORAGE_DIR || join(varDir, 'storage'),
      PORT: String(port),
      // Start-up chatter of two processes would bury the banner below; LOG_LEVEL=info shows it.
      LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
    };
    const applied = await migrateDatabase(postgres.url);
    if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);

    const onExit = (name: string, code: number | null) => {
      log(`${name} exited with code ${code}; stopping everything`);
      void shutdown(code || 1);
    };
    processes.push(new ManagedProcess('api', 'dist/apps/api/src/main.js', env, onExit));
    processes.push(new ManagedProcess('worker', 'dist/apps/worker/src/main.js', env, onExit));
    processes.forEach((p) => p.start());
    await waitFor(() => isListening('127.0.0.1', port), 60_000, 'the API');

    const url = `http://localhost:${port}`;
    const demo = process.env.DEMO_DATA === undefined || /^(1|true|yes|on)$/i.test(process.env.DEMO_DATA);
    // Demo data is a convenience: if loading it fails, the platform itself still runs.
    const accounts = demo
      ? await seedDemoData({ url, databaseUrl: postgres.url, log }).catch((e: Error) => {
          log(`Demo data could not be loaded (${e.message}); running without it`);
          return [];
        })
      : [];
    log('');
    log(`Votecheck is running at ${url}  (API docs: ${url}/api/docs; Ctrl-C stops everything)`);
    if (accounts.length) {
      log('Demo accounts (password for all: demo-password):');
      for (const a of accounts) log(`  ${a.role.padEnd(12)} ${a.email}`);
    }
  } catch (e) {
    log(`Could not start: ${(e as Error).message}`);
    await shutdown(1);
  }
}

void main();
