import { useEffect, useState } from 'preact/hooks';
import { onSessionChange } from '../session';
import type { QueuedReport } from './db';
import { onQueueChange, progressOf, queuedReports, type Progress } from './queue';

export interface OutboxView {
  items: QueuedReport[];
  progress: (clientReportId: string) => Progress | undefined;
}

/** The current user's queued reports, refreshed whenever any tab changes the outbox. */
export function useOutbox(): OutboxView {
  const [items, setItems] = useState<QueuedReport[]>([]);
  const [, setTick] = useState(0);
  useEffect(() => {
    let alive = true;
    let reloading = false;
    let again = false;
    // Progress events come many times a second; read the store at most once at a time,
    // and once more afterwards if something changed meanwhile.
    const reload = () => {
      if (reloading) {
        again = true;
        return;
      }
      reloading = true;
      void queuedReports()
        .then((r) => alive && setItems(r))
        .finally(() => {
          reloading = false;
          if (again) {
            again = false;
            reload();
          }
        });
    };
    reload();
    const offQueue = onQueueChange((kind) => {
      setTick((n) => n + 1);
      if (kind === 'changed') reload();
    });
    const offSession = onSessionChange(reload);
    return () => {
      alive = false;
      offQueue();
      offSession();
    };
  }, []);
  return { items, progress: progressOf };
}
