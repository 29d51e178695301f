import { DataSource, QueryRunner } from 'typeorm';

/** Keys of PostgreSQL advisory locks, one per kind of exclusive work. */
export enum AdvisoryLock {
  Migrations = 7_301_001,
  OutboxRelay = 7_301_002,
  Reconciler = 7_301_003,
  Bootstrap = 7_301_004,
}

/**
 * Runs `work` while holding a session-level advisory lock on one pooled connection. With
 * `wait: false` it returns `undefined` at once when another process holds the lock. `work` gets
 * the connection holding the lock, for callers whose statements must run under it. When the
 * unlock fails, the connection is closed instead of going back to the pool: its session ends
 * and PostgreSQL drops the lock with it, rather than a pooled connection holding it for good.
 */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  lock: AdvisoryLock,
  work: (runner: QueryRunner) => Promise<T>,
  { wait }: { wait: boolean } = { wait: true },
): Promise<T | undefined> {
  const runner = dataSource.createQueryRunner() as QueryRunner & {
    releasePostgresConnection?(e: Error): Promise<void>;
  };
  await runner.connect();
  let broken: Error | undefined;
  try {
    if (wait) {
      await runner.query('SELECT pg_advisory_lock($1)', [lock]);
    } else {
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [lock]);
      if (!locked) return undefined;
    }
    try {
      return await work(runner);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [lock]).catch((e: Error) => {
        broken = e;
        throw e;
      });
    }
  } finally {
    if (broken && runner.releasePostgresConnection) await runner.releasePostgresConnection(broken);
    else await runner.release();
  }
}

/** Applies pending migrations; safe when several processes start at once. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const applied = await withAdvisoryLock(dataSource, AdvisoryLock.Migrations, () =>
    dataSource.runMigrations({ transaction: 'each' }),
  );
  return (applied ?? []).map((m) => m.name);
}
