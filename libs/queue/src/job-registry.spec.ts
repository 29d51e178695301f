import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Job } from 'bullmq';
import { JobRegistry, PROCESSED_QUEUES } from './job-registry';
import { OnJob } from './on-job.decorator';
import { JobName, QueueName } from './queue-names';

@Injectable()
class MatchingHandlers {
  @OnJob(JobName.MatchPrecinct)
  async matchPrecinct(job: Job): Promise<string> {
    return `matched ${job.data.precinctId}`;
  }
}

@Injectable()
class SecondMatchPrecinctHandler {
  @OnJob(JobName.MatchPrecinct)
  async again(): Promise<void> {}
}

const registry = (queues: QueueName[], ...providers: Array<new () => object>) =>
  Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [JobRegistry, ...providers, { provide: PROCESSED_QUEUES, useValue: new Set(queues) }],
  }).compile();

describe('JobRegistry', () => {
  it('refuses to start when a job of a processed queue has no handler', async () => {
    await expect(registry([QueueName.Matching], MatchingHandlers)).rejects.toThrow(
      'Job handlers are wrong: job "match-election" has no handler',
    );
  });

  it('refuses two handlers for one job', async () => {
    await expect(registry([], MatchingHandlers, SecondMatchPrecinctHandler)).rejects.toThrow(
      /job "match-precinct" has two handlers \(second: SecondMatchPrecinctHandler.again\)/,
    );
  });

  it('dispatches jobs to their handler', async () => {
    const module = await registry([], MatchingHandlers);
    const job = { name: JobName.MatchPrecinct, data: { precinctId: 7 } } as Job;
    await expect(module.get(JobRegistry).handle(job)).resolves.toBe('matched 7');
  });
});
