import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { Notice, errorText } from '../../components/Notice';
import { ProgressBar } from '../../components/ProgressBar';
import { formatNumber, useT } from '../../i18n';
import type { ImportStatus } from '../../types';

/** Follows an official-results import until it is done or has failed. */
export function ImportProgress({ importId, onFinished }: { importId: string; onFinished: () => void }) {
  const t = useT();
  const [status, setStatus] = useState<ImportStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const s = await api.importStatus(importId);
        if (!alive) return;
        setStatus(s);
        if (s.status === 'done' || s.status === 'failed') return onFinished();
      } catch (err) {
        if (alive) setError(errorText(err));
      }
      if (alive) timer = setTimeout(poll, 1000);
    };
    void poll();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [importId]);

  const done = status?.rowsDone ?? 0;
  const total = status?.rowsTotal ?? 0;
  return (
    <div class="card stack-sm" data-import-id={importId}>
      <ProgressBar
        label={t(`imports.status.${status?.status ?? 'queued'}` as 'imports.status.queued')}
        value={status?.status === 'done' ? 1 : done}
        max={status?.status === 'done' ? 1 : total}
        detail={t('imports.rows', { done: formatNumber(done), total: total ? formatNumber(total) : '?' })}
      />
      {status?.status === 'done' && <Notice kind="success">{t('imports.done')}</Notice>}
      {status?.status === 'failed' && <ImportErrors status={status} />}
      {error && <Notice kind="error">{error}</Notice>}
    </div>
  );
}

export function ImportErrors({ status }: { status: ImportStatus }) {
  const t = useT();
  return (
    <Notice kind="error">
      <p>{t('imports.failed')}</p>
      <ul class="plain">
        {status.errors.slice(0, 100).map((e) => (
          <li key={`${e.row}-${e.message}`}>
            {t('imports.row', { row: e.row })}: {e.message}
          </li>
        ))}
      </ul>
    </Notice>
  );
}
