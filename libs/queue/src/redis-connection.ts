import { Logger } from '@nestjs/common';
import IORedis, { RedisOptions } from 'ioredis';

/** Connection options BullMQ requires: commands must wait for a reconnect, never fail fast. */
export function bullConnectionOptions(redisUrl: string): RedisOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    enableReadyCheck: false,
    retryStrategy: (attempt) => Math.min(200 * attempt, 2000),
  };
}

/**
 * BullMQ loses jobs silently if Redis evicts keys. Warn loudly unless maxmemory-policy is
 * noeviction. Some managed Redis forbid CONFIG; then we can only say so.
 */
export async function checkEvictionPolicy(redisUrl: string, logger: Logger): Promise<void> {
  const client = new IORedis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000 });
  try {
    await client.connect();
    const [, policy] = (await client.config('GET', 'maxmemory-policy')) as [string, string];
    if (policy !== 'noeviction') {
      logger.warn(`Redis maxmemory-policy is "${policy}"; set it to "noeviction" or queued work can be lost`);
    }
  } catch (e) {
    logger.warn(`Could not read Redis maxmemory-policy (${(e as Error).message}); it must be "noeviction"`);
  } finally {
    client.disconnect();
  }
}
