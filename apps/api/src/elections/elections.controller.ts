import { AuthUser, CurrentUser, Roles } from '@app/accounts';
import { CreateElectionDto, ElectionDto, ElectionsService } from '@app/elections';
import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

@ApiTags('elections')
@Controller('elections')
export class ElectionsController {
  constructor(private readonly elections: ElectionsService) {}

  @Post()
  @Roles('coordinator')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create an election from a template preset or a full template' })
  create(@Body() dto: CreateElectionDto, @CurrentUser() user: AuthUser): Promise<ElectionDto> {
    return this.elections.create(dto, user);
  }

  @Get()
  @ApiOperation({ summary: 'List elections' })
  list(): Promise<ElectionDto[]> {
    return this.elections.list();
  }

  @Get(':slug')
  @ApiOperation({ summary: 'One election with its protocol template' })
  get(@Param('slug') slug: string): Promise<ElectionDto> {
    return this.elections.get(slug);
  }
}
