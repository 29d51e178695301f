import { api } from '../../api';
import { useT } from '../../i18n';
import { Link } from '../../router';
import { useUser } from '../../session';

export function AdminHome() {
  const t = useT();
  const user = useUser();
  return (
    <div class="stack">
      <h1>{t('admin.title')}</h1>
      <ul class="tiles">
        <li>
          <Link href="/arbitrate">{t('nav.arbitrate')}</Link>
          <span>{t('admin.arbitrateHint')}</span>
        </li>
        <li>
          <Link href="/admin/elections">{t('admin.elections')}</Link>
          <span>{t('admin.electionsHint')}</span>
        </li>
        <li>
          <Link href="/admin/invites">{t('admin.invites')}</Link>
          <span>{t('admin.invitesHint')}</span>
        </li>
        <li>
          <Link href="/admin/imports">{t('admin.imports')}</Link>
          <span>{t('admin.importsHint')}</span>
        </li>
        <li>
          <Link href="/admin/stats">{t('admin.stats')}</Link>
          <span>{t('admin.statsHint')}</span>
        </li>
        {user?.role === 'admin' && (
          <li>
            <a
              href={api.queuesDashboardUrl}
              target="_blank"
              rel="noopener"
              onClick={async (e) => {
                e.preventDefault();
                await api.openQueuesDashboard();
                window.open(api.queuesDashboardUrl, '_blank', 'noopener');
              }}
            >
              {t('admin.queues')}
            </a>
            <span>{t('admin.queuesHint')}</span>
          </li>
        )}
      </ul>
    </div>
  );
}
