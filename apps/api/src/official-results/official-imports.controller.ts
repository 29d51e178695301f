import { AuthUser, CurrentUser, Roles } from '@app/accounts';
import { ElectionsService } from '@app/elections';
import {
  ChangesQueryDto,
  ImportAcceptedDto,
  ImportChangesDto,
  ImportListDto,
  ImportStatusDto,
  OfficialImportsService,
} from '@app/official-results';
import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Request } from 'express';
import { singleFileUpload } from '../http/single-file-upload';

@ApiTags('official results')
@ApiBearerAuth()
@Roles('coordinator')
@Controller()
export class OfficialImportsController {
  constructor(
    private readonly elections: ElectionsService,
    private readonly imports: OfficialImportsService,
  ) {}

  @Post('elections/:slug/official-results')
  @HttpCode(202)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: 'Upload official results (.csv or .csv.gz, the template headers) as a new version' })
  async upload(
    @Param('slug') slug: string,
    @Req() req: Request,
    @CurrentUser() user: AuthUser,
  ): Promise<ImportAcceptedDto> {
    const election = await this.elections.getEntity(slug);
    return singleFileUpload(req, 'file', (file, name) => this.imports.accept(election, user, file, name));
  }

  @Get('elections/:slug/imports')
  @ApiOperation({ summary: 'Official-results imports of an election, newest first' })
  async list(@Param('slug') slug: string): Promise<ImportListDto> {
    return this.imports.list(await this.elections.getEntity(slug));
  }

  @Get('imports/:id')
  @ApiOperation({ summary: 'Status and progress of an import' })
  status(@Param('id') id: string): Promise<ImportStatusDto> {
    return this.imports.status(id);
  }

  @Get('imports/:id/changes')
  @ApiOperation({ summary: 'Precincts whose official numbers differ from the previous version' })
  changes(@Param('id') id: string, @Query() query: ChangesQueryDto): Promise<ImportChangesDto> {
    return this.imports.changes(id, query);
  }
}
