import { APP_CONFIG, AppConfig } from '@app/config';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import IORedis from 'ioredis';

/**
 * A plain Redis client for small shared state (login throttling). Fails fast while Redis is
 * away: callers decide what an outage means for them. Keys go under the deployment's prefix.
 */
@Injectable()
export class RedisClient implements OnApplicationShutdown {
  readonly client: IORedis;
  readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = `${config.redisPrefix}:`;
    this.client = new IORedis(config.redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: (attempt) => Math.min(200 * attempt, 2000),
    });
    this.client.on('error', () => undefined);
    void this.client.connect().catch(() => undefined);
  }

  key(...parts: string[]): string {
    return this.prefix + parts.join(':');
  }

  onApplicationShutdown(): void {
    this.client.disconnect();
  }
}
