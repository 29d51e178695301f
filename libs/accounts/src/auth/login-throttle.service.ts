import { RedisClient } from '@app/queue';
import { HttpException, HttpStatus, Injectable, Logger } from '@nestjs/common';

const LIMIT = 10;
const WINDOW_SECONDS = 60;

/**
 * Counts failed logins per e-mail and per client address in Redis, so that every api replica
 * shares the count. Over 10 failures a minute on either → 429. Successful logins are not
 * counted. While Redis is down, logins are not throttled (and a warning is logged).
 */
@Injectable()
export class LoginThrottleService {
  private readonly logger = new Logger(LoginThrottleService.name);

  constructor(private readonly redis: RedisClient) {}

  private keys(email: string, ip: string): string[] {
    return [this.redis.key('login-fail', 'email', email.toLowerCase()), this.redis.key('login-fail', 'ip', ip)];
  }

  async assertAllowed(email: string, ip: string): Promise<void> {
    let counts: Array<string | null>;
    try {
      counts = await this.redis.client.mget(...this.keys(email, ip));
    } catch (e) {
      this.logger.warn(`login throttling unavailable: ${(e as Error).message}`);
      return;
    }
    if (counts.some((c) => Number(c ?? 0) >= LIMIT)) {
      throw new HttpException('Too many failed logins; wait a minute and try again', HttpStatus.TOO_MANY_REQUESTS);
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const multi = this.redis.client.multi();
    for (const key of this.keys(email, ip)) multi.incr(key).expire(key, WINDOW_SECONDS, 'NX');
    await multi.exec().catch((e: Error) => this.logger.warn(`login throttling unavailable: ${e.message}`));
  }
}
