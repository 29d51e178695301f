import { AuthService, AuthUser, CurrentUser, LoginDto, RegisterDto, Roles, TokenDto, UserDto } from '@app/accounts';
import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

@ApiTags('accounts')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in; more than 10 failures a minute per e-mail or address → 429' })
  login(@Body() dto: LoginDto, @Ip() ip: string): Promise<TokenDto> {
    return this.auth.login(dto, ip);
  }

  @Post('register')
  @ApiOperation({ summary: 'Create an account with an invite code' })
  register(@Body() dto: RegisterDto): Promise<TokenDto> {
    return this.auth.register(dto);
  }

  @Get('me')
  @Roles('observer')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The logged-in account' })
  me(@CurrentUser() user: AuthUser): UserDto {
    return user;
  }
}
