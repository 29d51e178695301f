import { APP_CONFIG, AppConfig } from '@app/config';
import { Reconcile } from '@app/queue';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ReviewQueues } from '../queue/review-queues';
import { REVIEW_KINDS } from '../tasks/review-task';
import { ReviewTasksRepository } from '../tasks/review-tasks.repository';
import { ReviewService } from '../tasks/review.service';

const BATCH = 5000;

/**
 * Brings the review queues back in line with PostgreSQL: expires claims whose lock ran out
 * (their jobs go back to the queue), then re-adds every job that the reports' state calls for
 * but Redis lacks (a flushed or restarted Redis, a job removed by hand) or has finished.
 */
@Injectable()
export class ReviewReconciler {
  private readonly logger = new Logger(ReviewReconciler.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tasks: ReviewTasksRepository,
    private readonly queues: ReviewQueues,
    private readonly review: ReviewService,
  ) {}

  @Reconcile('review')
  async reconcile(): Promise<{ expired: number; readded: number }> {
    const expired = await this.review.expireLapsed();
    const open = await this.tasks.openJobs(this.config.reviewsRequired, BATCH);
    let readded = 0;
    for (const kind of REVIEW_KINDS) {
      const jobs = open.filter((j) => j.kind === kind);
      const states = await this.queues.states(
        kind,
        jobs.map((j) => j.jobId),
      );
      const missing = jobs.filter((_, i) => states[i] !== 'live');
      for (const [i, j] of jobs.entries()) {
        if (states[i] === 'finished') await this.queues.removeFinished(kind, j.jobId);
      }
      await this.queues.add(
        kind,
        missing.map((j) => ({ jobId: j.jobId, data: { reportId: j.reportId, round: j.round } })),
      );
      readded += missing.length;
    }
    if (readded > 0 || expired > 0) this.logger.log(`review: ${expired} lock(s) expired, ${readded} job(s) re-added`);
    return { expired, readded };
  }
}
