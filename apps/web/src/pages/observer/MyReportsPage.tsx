import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { Notice } from '../../components/Notice';
import { StatusBadge } from '../../components/StatusBadge';
import { useAsync, useInterval } from '../../hooks';
import { formatDateTime, useT } from '../../i18n';
import { removeQueued, retryNow } from '../../offline/queue';
import { useOutbox } from '../../offline/use-outbox';
import { Link } from '../../router';
import { OutboxItem } from './OutboxItem';

const POLL_MS = 10_000;

export function MyReportsPage() {
  const t = useT();
  const outbox = useOutbox();
  const server = useAsync(() => api.myReports(), []);
  const [online, setOnline] = useState(navigator.onLine);
  const justQueued = new URLSearchParams(location.search).has('queued');
  useInterval(server.reload, POLL_MS);

  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);

  // A sent report shows up in the server's list: from then on that list tells its status.
  const serverIds = new Set(server.data?.map((r) => r.id));
  const sentCount = outbox.items.filter((i) => i.state === 'sent').length;
  useEffect(() => {
    if (sentCount > 0) server.reload();
  }, [sentCount]);
  useEffect(() => {
    for (const i of outbox.items)
      if (i.state === 'sent' && i.serverId && serverIds.has(i.serverId)) void removeQueued(i.clientReportId);
  }, [outbox.items, server.data]);
  const local = outbox.items.filter((i) => !(i.state === 'sent' && i.serverId && serverIds.has(i.serverId)));

  return (
    <div class="stack narrow">
      <div class="row spread">
        <h1>{t('myReports.title')}</h1>
        <Link href="/report" class="button primary">
          {t('myReports.new')}
        </Link>
      </div>
      {!online && <Notice kind="warning">{t('myReports.offline')}</Notice>}
      {justQueued && <Notice kind="success">{t('myReports.queued')}</Notice>}
      {local.length > 0 && (
        <section class="stack-sm" aria-labelledby="outbox-title">
          <h2 id="outbox-title">{t('myReports.outbox')}</h2>
          <ul class="cards">
            {local.map((item) => (
              <OutboxItem
                key={item.clientReportId}
                item={item}
                progress={outbox.progress(item.clientReportId)}
                onRetry={() => void retryNow(item.clientReportId)}
                onDelete={() => void removeQueued(item.clientReportId)}
              />
            ))}
          </ul>
        </section>
      )}
      <section class="stack-sm" aria-labelledby="sent-title">
        <h2 id="sent-title">{t('myReports.sent')}</h2>
        {server.error !== undefined && !server.data && <p class="hint">{t('myReports.cannotLoad')}</p>}
        {server.data?.length === 0 && <p class="muted">{t('myReports.none')}</p>}
        <ul class="cards">
          {server.data?.map((r) => (
            <li key={r.id} class="card report-card" data-report-id={r.id}>
              <div class="report-head">
                <strong>
                  {r.precinct.region}, №{r.precinct.number}
                </strong>
                <StatusBadge status={r.status} />
              </div>
              <p class="muted">
                {formatDateTime(r.createdAt)} · {t('outbox.photos', { n: r.photos.length })}
              </p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
