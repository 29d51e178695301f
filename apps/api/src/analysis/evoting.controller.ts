import { EvotingQueryDto, EvotingReportDto, EvotingService, evotingCsv } from '@app/analysis';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { sendCsv } from './csv-response';

@ApiTags('analysis')
@Controller('elections/:slug/analysis')
export class EvotingController {
  constructor(private readonly evoting: EvotingService) {}

  @Get('evoting')
  @ApiOperation({ summary: 'Paper vs remote e-voting per district and region: shares, leaders, reversals, swing' })
  @ApiOkResponse({ type: EvotingReportDto })
  report(@Param('slug') slug: string, @Query() query: EvotingQueryDto): Promise<EvotingReportDto> {
    return this.evoting.report(slug, query.region);
  }

  @Get('evoting.csv')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The e-voting report as CSV, one row per area, mode and candidate line' })
  async csv(
    @Param('slug') slug: string,
    @Query() query: EvotingQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    return sendCsv(res, `${slug}-evoting.csv`, evotingCsv(await this.evoting.report(slug, query.region)));
  }
}
