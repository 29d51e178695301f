import { SetMetadata } from '@nestjs/common';
import { JobName } from './queue-names';

export const ON_JOB = Symbol('ON_JOB');

/** Marks a service method as the handler of a job; the worker finds it by discovery. */
export const OnJob = (name: JobName): MethodDecorator => SetMetadata(ON_JOB, name);

export const RECONCILE = Symbol('RECONCILE');

/**
 * Marks a service method that re-enqueues, from PostgreSQL state, work the queue may have lost.
 * The reconciler calls every such method periodically under an advisory lock.
 */
export const Reconcile = (name: string): MethodDecorator => SetMetadata(RECONCILE, name);

/**
 * For a `@Reconcile` task that needs to run far less often than the reconciler's passes (a walk
 * of a storage folder): `due()` is true once per `everyMs`, the first time one period after start.
 */
export class OncePer {
  private nextAt: number;

  constructor(private readonly everyMs: number) {
    this.nextAt = Date.now() + everyMs;
  }

  due(now = Date.now()): boolean {
    if (now < this.nextAt) return false;
    this.nextAt = now + this.everyMs;
    return true;
  }
}
