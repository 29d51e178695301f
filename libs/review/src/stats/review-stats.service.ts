import { Injectable } from '@nestjs/common';
import { ModeratorStatsPageDto } from '../tasks/review.dto';
import { ReviewStatsRepository } from './review-stats.repository';

@Injectable()
export class ReviewStatsService {
  constructor(private readonly stats: ReviewStatsRepository) {}

  async moderators(): Promise<ModeratorStatsPageDto> {
    return { items: await this.stats.moderatorStats() };
  }
}
