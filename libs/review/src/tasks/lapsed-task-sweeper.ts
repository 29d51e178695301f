import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ReviewQueues } from '../queue/review-queues';
import { ReviewService } from './review.service';

/**
 * Expires lapsed claims soon after their lock runs out, in every process (SKIP LOCKED keeps the
 * processes from colliding), so abandoned tasks return well before the reconciler comes by.
 */
@Injectable()
export class LapsedTaskSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LapsedTaskSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly review: ReviewService,
    private readonly queues: ReviewQueues,
  ) {}

  onApplicationBootstrap(): void {
    const interval = Math.min(5000, Math.max(500, this.queues.lockMs / 4));
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.review
        .expireLapsed()
        .catch((e: Error) => this.logger.warn(`expiry sweep failed: ${e.message}`))
        .finally(() => (this.running = undefined));
    }, interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
