import { ReviewModule } from '@app/review';
import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { ReviewStatsController } from './review-stats.controller';
import { ReviewController } from './review.controller';

/** HTTP routes of review, and the audit trail that review writes most of. */
@Module({ imports: [ReviewModule], controllers: [ReviewStatsController, ReviewController, AuditController] })
export class ReviewHttpModule {}
