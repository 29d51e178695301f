import {
  discrepancyCsvHeader,
  discrepancyCsvRows,
  DiscrepanciesService,
  DiscrepancyListDto,
  DiscrepancyQueryDto,
  PrecinctDiscrepancyDto,
  PrecinctDiscrepancyService,
  SummaryDto,
} from '@app/matching';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';

/** The public discrepancy list: no login, no observer identities. */
@ApiTags('discrepancies')
@Controller('elections/:slug')
export class DiscrepanciesController {
  constructor(
    private readonly discrepancies: DiscrepanciesService,
    private readonly precincts: PrecinctDiscrepancyService,
  ) {}

  @Get('discrepancies')
  @ApiOperation({
    summary: 'Precincts whose reviewed protocol differs from the official numbers, largest effect first',
  })
  @ApiOkResponse({ type: DiscrepancyListDto })
  list(@Param('slug') slug: string, @Query() query: DiscrepancyQueryDto): Promise<DiscrepancyListDto> {
    return this.discrepancies.list(slug, query);
  }

  @Get('discrepancies.csv')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The same rows as CSV, one row per differing line (the whole list unless a page is asked)' })
  async csv(@Param('slug') slug: string, @Query() query: DiscrepancyQueryDto, @Res() res: Response): Promise<void> {
    const batches = this.discrepancies.exportItems(slug, query);
    // The first batch is read before any byte is sent, so an unknown election is still a 404.
    const first = await batches.next();
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${slug.replace(/[^\w.-]/g, '_')}-discrepancies.csv"`);
    res.write(`\ufeff${discrepancyCsvHeader()}`);
    if (!first.done) res.write(discrepancyCsvRows(first.value));
    for await (const items of batches) {
      if (!res.write(discrepancyCsvRows(items))) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  }

  @Get('summary')
  @ApiOperation({ summary: 'Counts per status, summed deltas per line, and how much of the electorate is observed' })
  @ApiOkResponse({ type: SummaryDto })
  summary(@Param('slug') slug: string): Promise<SummaryDto> {
    return this.discrepancies.summary(slug);
  }

  @Get('precincts/:id/discrepancy')
  @ApiOperation({
    summary: 'One precinct with a reviewed report: every line, official against observed, and its photos',
  })
  @ApiOkResponse({ type: PrecinctDiscrepancyDto })
  precinct(@Param('slug') slug: string, @Param('id') id: string): Promise<PrecinctDiscrepancyDto> {
    return this.precincts.get(slug, id);
  }
}
