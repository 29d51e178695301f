import { useT } from '../i18n';
import { Link } from '../router';
import { useUser } from '../session';
import { roleAtLeast } from '../types';

export function Home() {
  const t = useT();
  const user = useUser();
  return (
    <div class="stack">
      <h1>{t('home.title')}</h1>
      <p>{t('home.intro')}</p>
      <ul class="tiles">
        <li>
          <Link href="/results">{t('nav.results')}</Link>
          <span>{t('home.results')}</span>
        </li>
        {!user && (
          <li>
            <Link href="/login">{t('nav.login')}</Link>
            <span>{t('home.login')}</span>
          </li>
        )}
        {user && (
          <li>
            <Link href="/report">{t('nav.report')}</Link>
            <span>{t('home.report')}</span>
          </li>
        )}
        {user && (
          <li>
            <Link href="/reports">{t('nav.myReports')}</Link>
            <span>{t('home.myReports')}</span>
          </li>
        )}
        {roleAtLeast(user?.role, 'moderator') && (
          <li>
            <Link href="/review">{t('nav.review')}</Link>
            <span>{t('home.review')}</span>
          </li>
        )}
        {roleAtLeast(user?.role, 'coordinator') && (
          <li>
            <Link href="/admin">{t('nav.admin')}</Link>
            <span>{t('home.admin')}</span>
          </li>
        )}
      </ul>
    </div>
  );
}
