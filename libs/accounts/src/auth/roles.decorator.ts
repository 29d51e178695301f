import { Role } from '@app/domain';
import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { AuthUser } from './auth-user';

export const MIN_ROLE = Symbol('MIN_ROLE');

/** The route needs a logged-in user with at least this role. Routes without it are public. */
export const Roles = (minimum: Role): MethodDecorator & ClassDecorator => SetMetadata(MIN_ROLE, minimum);

/** The logged-in user (undefined on public routes without a token). */
export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthUser | undefined => ctx.switchToHttp().getRequest().user,
);
