import { ReviewModule } from '@app/review';
import { Module } from '@nestjs/common';

/** HTTP routes of review. */
@Module({ imports: [ReviewModule], controllers: [] })
export class ReviewHttpModule {}
