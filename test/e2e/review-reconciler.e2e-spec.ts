import { APP_CONFIG, AppConfig } from '@app/config';
import { AdvisoryLock } from '@app/database';
import { Reconcile, ReconcilerService } from '@app/queue';
import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test, TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { TestContext } from '../support/test-context';

/** A reconcile task that hangs (say, on a Redis call waiting for a reconnect) until let go. */
@Injectable()
class StuckTask {
  calls = 0;
  hangs = true;
  release?: (n: number) => void;

  @Reconcile('stuck')
  reconcile(): Promise<number> {
    this.calls++;
    if (!this.hangs) return Promise.resolve(this.calls);
    return new Promise((resolve) => (this.release = resolve));
  }
}

@Injectable()
class CountingTask {
  calls = 0;

  @Reconcile('counting')
  async reconcile(): Promise<number> {
    return ++this.calls;
  }
}

describe('reconciler: one stuck task does not stop the others', () => {
  let ctx: TestContext;
  let module: TestingModule;
  let reconciler: ReconcilerService;

  beforeAll(async () => {
    ctx = await TestContext.create();
    module = await Test.createTestingModule({
      imports: [DiscoveryModule],
      providers: [
        StuckTask,
        CountingTask,
        ReconcilerService,
        { provide: getDataSourceToken(), useValue: ctx.db },
        // The module is compiled, never started: no timer, only the passes this test runs. The
        // short interval gives the shortest task deadline (5 s).
        { provide: APP_CONFIG, useValue: { ...ctx.api.get<AppConfig>(APP_CONFIG), reconcileIntervalMs: 100 } },
      ],
    }).compile();
    reconciler = module.get(ReconcilerService);
  });
  afterAll(async () => {
    module.get(StuckTask).release?.(0);
    await module.close();
    await ctx.close();
  });

  const lockIsFree = async () => {
    const [{ locked }] = await ctx.db.query(`SELECT pg_try_advisory_lock($1) AS locked`, [AdvisoryLock.Reconciler]);
    if (locked) await ctx.db.query(`SELECT pg_advisory_unlock($1)`, [AdvisoryLock.Reconciler]);
    return locked;
  };

  it('moves on past a task that misses its deadline, and releases the lock', async () => {
    expect(await reconciler.runOnce()).toEqual({ counting: 1 });
    expect(await lockIsFree()).toBe(true);
  });

  it('skips the stuck task while it still runs instead of starting it twice', async () => {
    expect(await reconciler.runOnce()).toEqual({ counting: 2 });
    expect(module.get(StuckTask).calls).toBe(1);
  });

  it('runs the task again once it has finished', async () => {
    const stuck = module.get(StuckTask);
    stuck.hangs = false;
    stuck.release!(1);
    await new Promise((r) => setImmediate(r));
    expect(await reconciler.runOnce()).toEqual({ stuck: 2, counting: 3 });
    expect(stuck.calls).toBe(2);
  });
});
