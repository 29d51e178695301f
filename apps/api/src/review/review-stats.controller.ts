import { Roles } from '@app/accounts';
import { ModeratorStatsPageDto, ReviewStatsService } from '@app/review';
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

@ApiTags('review')
@ApiBearerAuth()
@Controller('review/stats')
export class ReviewStatsController {
  constructor(private readonly stats: ReviewStatsService) {}

  @Get()
  @Roles('coordinator')
  @ApiOperation({ summary: 'Per moderator: tasks done, agreement with final outcomes, median seconds per task' })
  list(): Promise<ModeratorStatsPageDto> {
    return this.stats.moderators();
  }
}
