import { AuthUser, CurrentUser, Roles } from '@app/accounts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { ReportDto, ReportListDto, ReportsQueryService, ReportSubmissionService, SubmitResultDto } from '@app/reports';
import { PhotoStorage } from '@app/storage';
import {
  BadRequestException,
  Controller,
  Get,
  HttpStatus,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { receivePhotos } from './report-upload';

@ApiTags('reports')
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(
    private readonly submission: ReportSubmissionService,
    private readonly query: ReportsQueryService,
    private readonly storage: PhotoStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('elections/:slug/reports')
  @Roles('observer')
  @ApiConsumes('multipart/form-data')
  @ApiOperation({ summary: 'Send a protocol: precinct, clientReportId, 1–10 photos, optional values and comment' })
  @ApiResponse({ status: 202, description: 'stored and queued', type: SubmitResultDto })
  @ApiResponse({ status: 200, description: 'the same clientReportId was accepted before', type: SubmitResultDto })
  async submit(
    @Param('slug') slug: string,
    @CurrentUser() user: AuthUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ id: string; status: string }> {
    const start = this.submission.start(slug, user);
    const { body, files } = await receivePhotos(req, res, this.storage, this.config, start);
    const result = await this.submission.submit(slug, user, body, files, start);
    res.status(result.created ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return { id: result.id, status: result.status };
  }

  @Get('reports')
  @Roles('observer')
  @ApiOperation({ summary: 'The caller’s own reports, newest first (?mine=true)' })
  async mine(@CurrentUser() user: AuthUser, @Query('mine') mine?: string): Promise<ReportListDto> {
    if (mine !== 'true') throw new BadRequestException('Only ?mine=true is supported');
    return { items: await this.query.mine(user) };
  }

  @Get('reports/:id')
  @Roles('observer')
  @ApiOperation({ summary: 'One report with its photos (observers: their own only)' })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthUser): Promise<ReportDto> {
    return this.query.get(id, user);
  }
}
