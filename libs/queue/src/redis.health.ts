import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Queue } from 'bullmq';
import { withTimeout } from './outbox-relay.service';
import { QueueName } from './queue-names';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(getQueueToken(QueueName.Photos)) private readonly queue: Queue,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key = 'redis'): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    try {
      const client = await withTimeout(this.queue.client, 1000, 'no connection');
      await withTimeout((client as unknown as { ping(): Promise<string> }).ping(), 1000, 'no answer to PING');
      return indicator.up();
    } catch (e) {
      return indicator.down({ message: (e as Error).message });
    }
  }
}
