import { APP_CONFIG, AppConfig } from '@app/config';
import { isUniqueViolation, UserEntity } from '@app/database';
import { Role } from '@app/domain';
import { BadRequestException, ConflictException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InvitesRepository } from '../invites/invites.repository';
import { UsersRepository } from '../users/users.repository';
import { AuthUser, TokenClaims } from './auth-user';
import { AuthUserCache } from './auth-user-cache';
import { LoginDto, RegisterDto, TokenDto, UserDto } from './auth.dto';
import { LoginThrottleService } from './login-throttle.service';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './password-hasher';

const WRONG_LOGIN = 'Wrong e-mail or password';

@Injectable()
export class AuthService {
  private readonly cache = new AuthUserCache();

  constructor(
    private readonly users: UsersRepository,
    private readonly invites: InvitesRepository,
    private readonly throttle: LoginThrottleService,
    private readonly jwt: JwtService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login({ email, password }: LoginDto, ip: string): Promise<TokenDto> {
    await this.throttle.assertAllowed(email, ip);
    const user = await this.users.findByEmailWithHash(email);
    // Unknown users cost a hash too, so timing does not tell which e-mails exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    if (!user || !ok) {
      await this.throttle.recordFailure(email, ip);
      throw new UnauthorizedException(WRONG_LOGIN);
    }
    return this.tokenFor(user);
  }

  async register(dto: RegisterDto): Promise<TokenDto> {
    const passwordHash = await hashPassword(dto.password);
    const user = await this.dataSource.transaction(async (manager) => {
      const invite = await this.invites.consume(dto.code, manager);
      if (!invite) throw new BadRequestException(await this.whyInviteUnusable(dto.code));
      try {
        return await this.users.create({ ...dto, passwordHash, role: invite.role, inviteId: invite.id }, manager);
      } catch (e) {
        if (isUniqueViolation(e, 'users_email_key')) throw new ConflictException('That e-mail is already registered');
        throw e;
      }
    });
    return this.tokenFor(user);
  }

  async createUser(input: { email: string; password: string; role: Role; displayName?: string }): Promise<UserDto> {
    try {
      const user = await this.users.create({ ...input, passwordHash: await hashPassword(input.password) });
      return toUserDto(user);
    } catch (e) {
      if (isUniqueViolation(e, 'users_email_key')) throw new ConflictException('That e-mail is already registered');
      throw e;
    }
  }

  /** Creates the bootstrap admin from ADMIN_EMAIL/ADMIN_PASSWORD unless that e-mail exists. */
  async ensureAdmin(): Promise<boolean> {
    const { adminEmail, adminPassword } = this.config;
    if (!adminEmail || !adminPassword || (await this.users.existsByEmail(adminEmail))) return false;
    try {
      await this.createUser({
        email: adminEmail,
        password: adminPassword,
        role: 'admin',
        displayName: 'Administrator',
      });
      return true;
    } catch (e) {
      if (e instanceof ConflictException) return false; // another process created it first
      throw e;
    }
  }

  async userFromToken(token: string): Promise<AuthUser> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token);
    } catch {
      throw new UnauthorizedException('The access token is invalid or has expired; log in again');
    }
    const cached = this.cache.get(claims.sub);
    if (cached && cached.role === claims.role) return cached;
    const user = await this.users.findAuthUser(claims.sub);
    if (!user) {
      this.cache.forget(claims.sub);
      throw new UnauthorizedException('The account no longer exists');
    }
    this.cache.set(user);
    return user;
  }

  private async tokenFor(user: UserEntity): Promise<TokenDto> {
    const claims: TokenClaims = { sub: user.id, role: user.role };
    return { accessToken: await this.jwt.signAsync(claims), user: toUserDto(user) };
  }

  private async whyInviteUnusable(code: string): Promise<string> {
    const invite = await this.invites.findByCode(code);
    if (!invite) return 'The invite code is not valid';
    if (invite.expiresAt && invite.expiresAt <= new Date()) return 'The invite has expired';
    return 'The invite has been used up';
  }
}

export function toUserDto(user: UserEntity): UserDto {
  return { id: user.id, email: user.email, role: user.role, displayName: user.displayName };
}
