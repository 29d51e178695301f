import { AuthUser, CreateInviteDto, CurrentUser, InviteCodeDto, InviteDto, InvitesService, Roles } from '@app/accounts';
import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('invites')
@Roles('coordinator')
export class InvitesController {
  constructor(private readonly invites: InvitesService) {}

  @Post()
  @ApiOperation({ summary: 'Create an invite for observers or moderators' })
  create(@Body() dto: CreateInviteDto, @CurrentUser() user: AuthUser): Promise<InviteCodeDto> {
    return this.invites.create(dto, user);
  }

  @Get()
  @ApiOperation({ summary: 'List the latest invites' })
  list(): Promise<InviteDto[]> {
    return this.invites.list();
  }
}
