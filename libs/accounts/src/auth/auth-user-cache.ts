import { AuthUser } from './auth-user';

/** How long a looked-up account is trusted before the guard reads it again. */
export const AUTH_USER_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * Accounts the guard looked up recently. Every authenticated request used to read the users
 * table; under 50 busy moderators that was a query per request for a row that almost never
 * changes. A deleted account or a changed role takes effect within AUTH_USER_TTL_MS, and at once
 * when the token's role claim disagrees with the cached row (a fresh login after a role change).
 */
export class AuthUserCache {
  private readonly entries = new Map<string, { user: AuthUser; until: number }>();

  constructor(private readonly ttlMs = AUTH_USER_TTL_MS) {}

  get(id: string, now = Date.now()): AuthUser | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.until > now) return entry.user;
    this.entries.delete(id);
    return undefined;
  }

  set(user: AuthUser, now = Date.now()): void {
    // A plain bound: far more accounts than this are never active within one TTL.
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(user.id, { user, until: now + this.ttlMs });
  }

  forget(id: string): void {
    this.entries.delete(id);
  }
}
