import { ForensicsDto, ForensicsQueryDto, ForensicsService, heatmapCsv, histogramCsv } from '@app/analysis';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { sendCsv } from './csv-response';

@ApiTags('analysis')
@Controller('elections/:slug/analysis/forensics')
export class ForensicsController {
  constructor(private readonly forensics: ForensicsService) {}

  @Get()
  @ApiOperation({ summary: 'Turnout and leader-share histograms, their 2D histogram, and high-turnout ballots' })
  @ApiOkResponse({ type: ForensicsDto })
  get(@Param('slug') slug: string, @Query() query: ForensicsQueryDto): Promise<ForensicsDto> {
    return this.forensics.compute(slug, query);
  }

  @Get('turnout.csv')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'Turnout histogram as CSV: pct,precincts,ballots' })
  async turnout(
    @Param('slug') slug: string,
    @Query() query: ForensicsQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const f = await this.forensics.compute(slug, query);
    return sendCsv(res, `${slug}-turnout.csv`, histogramCsv(f.turnoutHistogram));
  }

  @Get('leader-share.csv')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'Leader-share histogram as CSV: pct,precincts,ballots' })
  async leaderShare(
    @Param('slug') slug: string,
    @Query() query: ForensicsQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const f = await this.forensics.compute(slug, query);
    return sendCsv(res, `${slug}-leader-share.csv`, histogramCsv(f.leaderShareHistogram));
  }

  @Get('heatmap.csv')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'Non-empty heatmap cells as CSV: turnout_pct,leader_share_pct,precincts,ballots' })
  async heatmap(
    @Param('slug') slug: string,
    @Query() query: ForensicsQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    return sendCsv(res, `${slug}-heatmap.csv`, heatmapCsv(await this.forensics.compute(slug, query)));
  }
}
