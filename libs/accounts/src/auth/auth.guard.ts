import { roleAtLeast, Role } from '@app/domain';
import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthService } from './auth.service';
import { MIN_ROLE } from './roles.decorator';

/**
 * Global guard: a bearer token, when present, must be valid (else 401) and puts the user on the
 * request; `@Roles(x)` routes need a user (401) whose role is at least x (403).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const header: string | undefined = request.headers?.authorization;
    if (header) {
      const [scheme, token] = header.split(' ');
      if (scheme !== 'Bearer' || !token) throw new UnauthorizedException('Authorization must be "Bearer <token>"');
      request.user = await this.auth.userFromToken(token);
    }
    const minimum = this.reflector.getAllAndOverride<Role | undefined>(MIN_ROLE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!minimum) return true;
    if (!request.user) throw new UnauthorizedException('Log in first');
    if (!roleAtLeast(request.user.role, minimum)) {
      throw new ForbiddenException(`This needs the ${minimum} role or higher`);
    }
    return true;
  }
}
