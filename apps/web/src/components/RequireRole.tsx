import type { ComponentChildren } from 'preact';
import { useT } from '../i18n';
import { Link } from '../router';
import { useUser } from '../session';
import { roleAtLeast, type Role } from '../types';
import { Notice } from './Notice';

/** Shows `children` to users with at least `role`; others get a way to log in. */
export function RequireRole({ role, children }: { role: Role; children: ComponentChildren }) {
  const t = useT();
  const user = useUser();
  if (!user) {
    const back = encodeURIComponent(location.pathname + location.search);
    return (
      <Notice kind="info">
        {t('auth.needLogin')} <Link href={`/login?next=${back}`}>{t('nav.login')}</Link>
      </Notice>
    );
  }
  if (!roleAtLeast(user.role, role)) return <Notice kind="error">{t('auth.forbidden')}</Notice>;
  return <>{children}</>;
}
