import { Role } from '@app/domain';

/** The authenticated caller, as guards put it on the request. */
export interface AuthUser {
  id: string;
  email: string;
  role: Role;
  displayName: string | null;
}

export interface TokenClaims {
  sub: string;
  role: Role;
}
