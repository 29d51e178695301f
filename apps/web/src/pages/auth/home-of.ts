import type { Role } from '../../types';

/** Where each role starts after logging in. */
export function homeOf(role: Role): string {
  switch (role) {
    case 'observer':
      return '/report';
    case 'moderator':
      return '/review';
    default:
      return '/admin';
  }
}
