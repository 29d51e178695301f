import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api';

const ACTIVE_WINDOW_MS = 60_000;

export interface TaskLock {
  remainingMs: number;
  expired: boolean;
}

/**
 * Counts down the task's lock and extends it shortly before it runs out, as long as the
 * moderator has typed or clicked within the last minute. An idle moderator lets it lapse,
 * and the task goes back to the queue for someone else.
 */
export function useTaskLock(taskId: string, initialExpiry: string): TaskLock {
  const [expiresAt, setExpiresAt] = useState(() => Date.parse(initialExpiry));
  const [now, setNow] = useState(Date.now());
  const lastActivity = useRef(Date.now());
  const extending = useRef(false);
  const lockLength = useRef(Math.max(10_000, Date.parse(initialExpiry) - Date.now()));

  useEffect(() => {
    const mark = () => (lastActivity.current = Date.now());
    const events = ['keydown', 'pointerdown', 'input', 'wheel'] as const;
    for (const e of events) document.addEventListener(e, mark, { capture: true, passive: true });
    return () => {
      for (const e of events) document.removeEventListener(e, mark, { capture: true });
    };
  }, []);

  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);

  const remainingMs = Math.max(0, expiresAt - now);
  const threshold = Math.min(90_000, lockLength.current / 2);
  const active = now - lastActivity.current < ACTIVE_WINDOW_MS;

  useEffect(() => {
    if (remainingMs === 0 || remainingMs > threshold || !active || extending.current) return;
    extending.current = true;
    api
      .extend(taskId)
      .then(
        (r) => setExpiresAt(Date.parse(r.lockExpiresAt)),
        () => undefined,
      )
      .finally(() => (extending.current = false));
  }, [remainingMs, threshold, active, taskId]);

  return { remainingMs, expired: remainingMs === 0 };
}

export function formatCountdown(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
