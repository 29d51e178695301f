import { DataSource } from 'typeorm';

/** Keys of PostgreSQL advisory locks, one per kind of exclusive work. */
export enum AdvisoryLock {
  Migrations = 7_301_001,
  OutboxRelay = 7_301_002,
  Reconciler = 7_301_003,
  Bootstrap = 7_301_004,
}

/**
 * Runs `work` while holding a session-level advisory lock on one pooled connection. With
 * `wait: false` it returns `undefined` at once when another process holds the lock.
 */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  lock: AdvisoryLock,
  work: () => Promise<T>,
  { wait }: { wait: boolean } = { wait: true },
): Promise<T | undefined> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    if (wait) {
      await runner.query('SELECT pg_advisory_lock($1)', [lock]);
    } else {
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [lock]);
      if (!locked) return undefined;
    }
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [lock]);
    }
  } finally {
    await runner.release();
  }
}

/** Applies pending migrations; safe when several processes start at once. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const applied = await withAdvisoryLock(dataSource, AdvisoryLock.Migrations, () =>
    dataSource.runMigrations({ transaction: 'each' }),
  );
  return (applied ?? []).map((m) => m.name);
}
