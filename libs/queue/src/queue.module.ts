import { APP_CONFIG, AppConfig } from '@app/config';
import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { OutboxRelay } from './outbox-relay.service';
import { OutboxService } from './outbox.service';
import { QueueName } from './queue-names';
import { bullConnectionOptions } from './redis-connection';
import { RedisClient } from './redis-client.provider';
import { RedisHealthIndicator } from './redis.health';

const queues = Object.values(QueueName).map((name) =>
  BullModule.registerQueueAsync({
    name,
    inject: [APP_CONFIG],
    // Producers fail fast while Redis is away (the outbox keeps the work); workers wait.
    useFactory: (config: AppConfig) => ({
      prefix: config.redisPrefix,
      connection: { ...bullConnectionOptions(config.redisUrl), enableOfflineQueue: false },
    }),
  }),
);

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        prefix: config.redisPrefix,
        connection: bullConnectionOptions(config.redisUrl),
        defaultJobOptions: {
          attempts: 5,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: { age: 24 * 3600, count: 10_000 },
          removeOnFail: { age: 14 * 24 * 3600 },
        },
      }),
    }),
    ...queues,
    TerminusModule,
  ],
  providers: [OutboxService, OutboxRelay, RedisClient, RedisHealthIndicator],
  exports: [BullModule, OutboxService, OutboxRelay, RedisClient, RedisHealthIndicator],
})
export class QueueModule {}
