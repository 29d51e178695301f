import { AdvisoryLock, withAdvisoryLock } from '@app/database';
import { Client } from 'pg';
import { TestContext } from '../support/test-context';

describe('advisory locks', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await TestContext.create();
  });
  afterAll(() => ctx.close());

  /** Whether a separate session can take the lock now (and gives it back at once). */
  async function free(lock: AdvisoryLock): Promise<boolean> {
    const client = new Client({ connectionString: ctx.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT pg_try_advisory_lock($1) AS locked', [lock]);
      if (rows[0].locked) await client.query('SELECT pg_advisory_unlock($1)', [lock]);
      return rows[0].locked;
    } finally {
      await client.end();
    }
  }

  it('holds the lock while the work runs and gives it back after', async () => {
    const during = await withAdvisoryLock(ctx.db, AdvisoryLock.Bootstrap, () => free(AdvisoryLock.Bootstrap));
    expect(during).toBe(false);
    expect(await free(AdvisoryLock.Bootstrap)).toBe(true);
  });

  it('skips the work when another session holds the lock and wait is false', async () => {
    let ran = false;
    const outcome = await withAdvisoryLock(ctx.db, AdvisoryLock.Bootstrap, () =>
      withAdvisoryLock(ctx.db, AdvisoryLock.Bootstrap, async () => (ran = true), { wait: false }),
    );
    expect(outcome).toBeUndefined();
    expect(ran).toBe(false);
  });

  it('does not leave the lock on a pooled connection when the unlock fails', async () => {
    // An aborted transaction refuses every statement, the unlock too; the session keeps the lock.
    const attempt = withAdvisoryLock(ctx.db, AdvisoryLock.Bootstrap, async (runner) => {
      await runner.query('BEGIN');
      await runner.query('SELECT 1 / 0').catch(() => undefined);
    });
    await expect(attempt).rejects.toThrow(/current transaction is aborted/);
    expect(await free(AdvisoryLock.Bootstrap)).toBe(true);
    // The pool still serves queries: the broken connection was closed, not handed out again.
    await Promise.all(Array.from({ length: 20 }, () => ctx.db.query('SELECT 1')));
  });
});
