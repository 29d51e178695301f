import type { ComponentChildren } from 'preact';
import { LANGS, getLang, setLang, useT, type MessageKey } from '../i18n';
import { Link, navigate } from '../router';
import { clearSession, useUser } from '../session';
import { roleAtLeast, type Role } from '../types';

interface NavItem {
  href: string;
  label: MessageKey;
  role?: Role;
}

const NAV: NavItem[] = [
  { href: '/results', label: 'nav.results' },
  { href: '/report', label: 'nav.report', role: 'observer' },
  { href: '/reports', label: 'nav.myReports', role: 'observer' },
  { href: '/review', label: 'nav.review', role: 'moderator' },
  { href: '/arbitrate', label: 'nav.arbitrate', role: 'coordinator' },
  { href: '/admin', label: 'nav.admin', role: 'coordinator' },
];

export function Layout({ children }: { children: ComponentChildren }) {
  const t = useT();
  const user = useUser();
  const items = NAV.filter((i) => !i.role || roleAtLeast(user?.role, i.role));
  const logout = () => {
    clearSession();
    navigate('/login');
  };
  return (
    <>
      <a class="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header class="top">
        <div class="top-row">
          <Link href="/" class="brand">
            Votecheck
          </Link>
          <div class="top-tools">
            <label class="lang">
              <span class="sr-only">{t('nav.language')}</span>
              <select
                value={getLang()}
                onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as 'ru' | 'en')}
              >
                {LANGS.map((l) => (
                  <option key={l} value={l}>
                    {l === 'ru' ? 'Русский' : 'English'}
                  </option>
                ))}
              </select>
            </label>
            {user ? (
              <button type="button" class="link-button" onClick={logout} title={user.email}>
                {t('nav.logout')}
              </button>
            ) : (
              <Link href="/login">{t('nav.login')}</Link>
            )}
          </div>
        </div>
        <nav aria-label={t('nav.main')}>
          <ul>
            {items.map((i) => (
              <li key={i.href}>
                <Link href={i.href}>{t(i.label)}</Link>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer class="foot">
        <p>{t('footer.source')}</p>
      </footer>
    </>
  );
}
