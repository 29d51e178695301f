import { AuthService, CreateUserDto, Roles, UserDto, UsersRepository } from '@app/accounts';
import { toUserDto } from '@app/accounts';
import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('users')
@Roles('admin')
export class UsersController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersRepository,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create an account with any role (admin)' })
  create(@Body() dto: CreateUserDto): Promise<UserDto> {
    return this.auth.createUser(dto);
  }

  @Get()
  @ApiOperation({ summary: 'List accounts (admin)' })
  async list(): Promise<UserDto[]> {
    return (await this.users.list()).map(toUserDto);
  }
}
