import { JobRegistry, PROCESSED_QUEUES, QueueName } from '@app/queue';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Provider, Type } from '@nestjs/common';
import { Job } from 'bullmq';

/**
 * A BullMQ processor for one queue that hands each job to its `@OnJob` handler. One class per
 * queue, made here so that the queues differ only in name and concurrency.
 */
export function queueProcessor(queue: QueueName, concurrency: number): Type<WorkerHost> {
  @Processor(queue, { concurrency, maxStalledCount: 2 })
  class QueueProcessor extends WorkerHost {
    constructor(private readonly jobs: JobRegistry) {
      super();
    }

    process(job: Job): Promise<unknown> {
      return this.jobs.handle(job);
    }
  }
  Object.defineProperty(QueueProcessor, 'name', { value: `${queue}Processor` });
  return QueueProcessor;
}

/** Processors for the given queues, and the set of them that the job registry checks. */
export function queueProcessors(queues: Partial<Record<QueueName, number>>): Provider[] {
  const entries = Object.entries(queues) as Array<[QueueName, number]>;
  return [
    ...entries.map(([queue, concurrency]) => queueProcessor(queue, concurrency)),
    { provide: PROCESSED_QUEUES, useValue: new Set(entries.map(([queue]) => queue)) },
  ];
}
