import { Roles } from '@app/accounts';
import {
  ElectionsService,
  PrecinctDto,
  PrecinctImportResultDto,
  PrecinctPageDto,
  PrecinctQueryDto,
  PrecinctsService,
  toPrecinctDto,
  UpdatePrecinctDto,
} from '@app/elections';
import { BadRequestException, Body, Controller, Get, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Request } from 'express';
import { PrecinctIdPipe } from '../http/precinct-id.pipe';
import { singleFileUpload } from '../http/single-file-upload';

@ApiTags('precincts')
@Controller('elections/:slug/precincts')
export class PrecinctsController {
  constructor(
    private readonly elections: ElectionsService,
    private readonly precincts: PrecinctsService,
  ) {}

  @Post()
  @Roles('coordinator')
  @ApiBearerAuth()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: 'Import precincts from a CSV (.csv or .csv.gz) with the template precinct columns' })
  async import(@Param('slug') slug: string, @Req() req: Request): Promise<PrecinctImportResultDto> {
    const election = await this.elections.getEntity(slug);
    return singleFileUpload(req, 'file', (file) => this.precincts.importCsv(election, file));
  }

  @Get()
  @ApiOperation({ summary: 'Find precincts by region, district and number' })
  async search(@Param('slug') slug: string, @Query() query: PrecinctQueryDto): Promise<PrecinctPageDto> {
    return this.precincts.search(await this.elections.getEntity(slug), query);
  }

  @Get('regions')
  @ApiOperation({ summary: 'Regions of the election with their precinct counts' })
  async regions(@Param('slug') slug: string): Promise<Array<{ region: string; precincts: number }>> {
    return this.precincts.regions(await this.elections.getEntity(slug));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One precinct' })
  async get(@Param('slug') slug: string, @Param('id', PrecinctIdPipe) id: number): Promise<PrecinctDto> {
    return toPrecinctDto(await this.precincts.get(await this.elections.getEntity(slug), id));
  }

  @Patch(':id')
  @Roles('coordinator')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Mark or unmark a precinct as a remote e-voting unit' })
  async update(
    @Param('slug') slug: string,
    @Param('id', PrecinctIdPipe) id: number,
    @Body() dto: UpdatePrecinctDto,
  ): Promise<PrecinctDto> {
    if (dto.evoting === undefined) throw new BadRequestException('Nothing to change');
    return this.precincts.setEvoting(await this.elections.getEntity(slug), id, dto.evoting);
  }
}
