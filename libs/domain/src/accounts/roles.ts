/** Roles from least to most privileged; each includes the rights of those before it. */
export const ROLES = ['observer', 'moderator', 'coordinator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}
