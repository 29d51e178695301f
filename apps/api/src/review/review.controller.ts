import { AuthUser, CurrentUser, Roles } from '@app/accounts';
import {
  ClaimQueryDto,
  LockDto,
  ReviewService,
  ReviewTaskDto,
  SubmissionService,
  SubmitDto,
  SubmitResultDto,
  TranscriptionsDto,
} from '@app/review';
import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { RatioViolationsFilter } from './ratio-violations.filter';

const taskId = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('taskId must be a UUID') });

@ApiTags('review')
@ApiBearerAuth()
@Roles('moderator')
@UseFilters(RatioViolationsFilter)
@Controller('review')
export class ReviewController {
  constructor(
    private readonly review: ReviewService,
    private readonly submissions: SubmissionService,
  ) {}

  @Post('claim')
  @ApiOperation({ summary: 'Take the next review task (locked to the caller); 204 when nothing waits' })
  @ApiResponse({ status: 200, type: ReviewTaskDto })
  @ApiResponse({ status: 204, description: 'Nothing waits for this moderator' })
  async claim(
    @Query() query: ClaimQueryDto,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReviewTaskDto | undefined> {
    const task = await this.review.claim(user, query.kind);
    if (task) {
      res.status(200);
      return task;
    }
    res.status(204);
    return undefined;
  }

  @Post('tasks/:taskId/extend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Renew the lock on a claimed task' })
  extend(@Param('taskId', taskId) id: string, @CurrentUser() user: AuthUser): Promise<LockDto> {
    return this.review.extend(user, id);
  }

  @Post('tasks/:taskId/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit values for every line, or a reject; 422 lists broken error ratios' })
  submit(
    @Param('taskId', taskId) id: string,
    @Body() dto: SubmitDto,
    @CurrentUser() user: AuthUser,
  ): Promise<SubmitResultDto> {
    return this.submissions.submit(user, id, dto);
  }

  @Post('tasks/:taskId/release')
  @HttpCode(204)
  @ApiOperation({ summary: 'Give the task back to the queue' })
  release(@Param('taskId', taskId) id: string, @CurrentUser() user: AuthUser): Promise<void> {
    return this.review.release(user, id);
  }

  @Get('tasks/:taskId/transcriptions')
  @ApiOperation({ summary: 'The transcriptions an arbitration task settles, and the lines where they differ' })
  transcriptions(@Param('taskId', taskId) id: string, @CurrentUser() user: AuthUser): Promise<TranscriptionsDto> {
    return this.review.transcriptionsFor(user, id);
  }
}
