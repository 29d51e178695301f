import { Notice } from '../../components/Notice';
import { ProgressBar } from '../../components/ProgressBar';
import { formatDateTime, formatNumber, useT } from '../../i18n';
import type { QueuedReport } from '../../offline/db';
import type { Progress } from '../../offline/queue';

interface Props {
  item: QueuedReport;
  progress?: Progress;
  onRetry: () => void;
  onDelete: () => void;
}

/** One report that has not reached the server yet (or just has). */
export function OutboxItem({ item, progress, onRetry, onDelete }: Props) {
  const t = useT();
  const mb = (b: number) => `${formatNumber(b / 1024 / 1024, 1)} MB`;
  const waitSeconds = Math.max(0, Math.round((item.nextAttemptAt - Date.now()) / 1000));
  const sending = item.state === 'sending' || progress !== undefined;
  return (
    <li class="card report-card" data-client-report-id={item.clientReportId}>
      <div class="report-head">
        <strong>
          {item.region}, №{item.number}
        </strong>
        <span class={`badge badge-outbox-${sending ? 'sending' : item.state}`}>
          {t(sending ? 'outbox.sending' : (`outbox.${item.state}` as const))}
        </span>
      </div>
      <p class="muted">
        {item.electionName ?? item.electionSlug} · {formatDateTime(new Date(item.createdAt).toISOString())} ·{' '}
        {t('outbox.photos', { n: item.photoCount })}
      </p>
      {sending && (
        <ProgressBar
          label={t('outbox.uploading')}
          value={progress?.loaded ?? 0}
          max={progress?.total ?? item.totalBytes}
          detail={progress ? `${mb(progress.loaded)} / ${mb(progress.total)}` : undefined}
        />
      )}
      {item.state === 'pending' && !sending && (
        <p class="hint">
          {navigator.onLine ? t('outbox.retryIn', { s: waitSeconds }) : t('outbox.waitingNetwork')}
          {item.lastError ? ` (${item.lastError})` : ''}
        </p>
      )}
      {item.state === 'failed' && (
        <Notice kind="error">
          {t('outbox.failed', { status: item.errorStatus ?? '' })} {item.lastError}
        </Notice>
      )}
      {item.state === 'sent' && <p class="ok-text">{t('outbox.sentOk')}</p>}
      <div class="row">
        {item.state === 'pending' && !sending && (
          <button type="button" onClick={onRetry}>
            {t('outbox.retryNow')}
          </button>
        )}
        {item.state === 'failed' && (
          <button type="button" class="danger" onClick={onDelete}>
            {t('outbox.delete')}
          </button>
        )}
      </div>
    </li>
  );
}
