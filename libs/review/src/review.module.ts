import { ElectionsModule } from '@app/elections';
import { Module } from '@nestjs/common';
import { ReviewQueues } from './queue/review-queues';
import { ReviewReconciler } from './reconcile/review-reconciler.service';
import { ReviewStatsRepository } from './stats/review-stats.repository';
import { ReviewStatsService } from './stats/review-stats.service';
import { LapsedTaskSweeper } from './tasks/lapsed-task-sweeper';
import { ReviewContext } from './tasks/review-context';
import { ReviewTasksRepository } from './tasks/review-tasks.repository';
import { ReviewService } from './tasks/review.service';
import { SubmissionService } from './tasks/submission.service';

/** Double-blind transcription through the manually fetched review queue, and arbitration. */
@Module({
  imports: [ElectionsModule],
  providers: [
    ReviewQueues,
    ReviewTasksRepository,
    ReviewContext,
    ReviewService,
    SubmissionService,
    LapsedTaskSweeper,
    ReviewReconciler,
    ReviewStatsRepository,
    ReviewStatsService,
  ],
  exports: [ReviewService, SubmissionService, ReviewStatsService, ReviewReconciler, ReviewQueues],
})
export class ReviewModule {}
