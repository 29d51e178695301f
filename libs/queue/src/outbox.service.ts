import { OutboxEntity } from '@app/database';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JOB_QUEUE, JobName, JobRequest } from './queue-names';

/**
 * Writes jobs into the transactional outbox, in the caller's transaction: the job exists exactly
 * when the state change that calls for it is committed. The relay moves it to BullMQ.
 */
@Injectable()
export class OutboxService {
  async add(manager: EntityManager, ...jobs: JobRequest[]): Promise<void> {
    if (jobs.length === 0) return;
    await manager.insert(
      OutboxEntity,
      jobs.map((job) => ({ queue: JOB_QUEUE[job.name], jobName: job.name, jobId: job.jobId, payload: job.payload })),
    );
  }

  /**
   * The jobs as outbox rows in JSON text (`[{queue, job_name, job_id, payload}]`, in order), for
   * a database function that inserts them in the same statement as the change they announce.
   */
  outboxRowsJson(jobs: JobRequest[]): string {
    return JSON.stringify(
      jobs.map((job) => ({ queue: JOB_QUEUE[job.name], job_name: job.name, job_id: job.jobId, payload: job.payload })),
    );
  }
}

/** Shorthand with the payload typed by job name. */
export function job<N extends JobName>(name: N, jobId: string, payload: JobRequest<N>['payload']): JobRequest<N> {
  return { name, jobId, payload };
}
