import { ApiError, api, upload } from '../api';
import { getUser, onSessionChange } from '../session';
import type { ProtocolValues } from '../types';
import { deleteReport, getReport, putReport, reportsOf, updateReport, type QueuedPhoto, type QueuedReport } from './db';
import { backoffDelay, isRetryable, safeFileName } from './policy';

/**
 * Sends queued reports. One tab at a time holds the `votecheck-outbox` Web Lock and sends;
 * the others follow progress over a BroadcastChannel. Every retry of a report carries the
 * clientReportId made when it was queued, so the server never makes it twice.
 */

const LOCK_NAME = 'votecheck-outbox';
const channel = typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel('votecheck-outbox') : null;

export interface Progress {
  loaded: number;
  total: number;
}

type Message = { type: 'changed' } | { type: 'progress'; id: string; loaded: number; total: number };

const progress = new Map<string, Progress>();
const listeners = new Set<(kind: Message['type']) => void>();
let timer: ReturnType<typeof setTimeout> | undefined;
let running = false;
let current: AbortController | null = null;

function emit(message: Message, broadcast = true): void {
  if (message.type === 'progress') progress.set(message.id, { loaded: message.loaded, total: message.total });
  if (broadcast) channel?.postMessage(message);
  for (const l of listeners) l(message.type);
}

channel?.addEventListener('message', (e: MessageEvent<Message>) => emit(e.data, false));

export function onQueueChange(listener: (kind: Message['type']) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function progressOf(clientReportId: string): Progress | undefined {
  return progress.get(clientReportId);
}

export interface NewReport {
  electionSlug: string;
  electionName?: string;
  region: string;
  number: string;
  values?: ProtocolValues;
  comment?: string;
  photos: File[];
}

/** Stores the report with a fresh clientReportId before any attempt to send it, then starts sending. */
export async function enqueueReport(input: NewReport): Promise<string> {
  const user = getUser();
  if (!user) throw new Error('not logged in');
  const photos: QueuedPhoto[] = input.photos.map((f, i) => ({
    name: safeFileName(f.name, i, f.type),
    type: f.type || 'image/jpeg',
    size: f.size,
    blob: f,
  }));
  const report: QueuedReport = {
    clientReportId: crypto.randomUUID(),
    userId: user.id,
    electionSlug: input.electionSlug,
    electionName: input.electionName,
    region: input.region,
    number: input.number,
    values: input.values && Object.keys(input.values).length > 0 ? input.values : undefined,
    comment: input.comment?.trim() || undefined,
    photos,
    photoCount: photos.length,
    totalBytes: photos.reduce((s, p) => s + p.size, 0),
    createdAt: Date.now(),
    state: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
  };
  await putReport(report);
  emit({ type: 'changed' });
  kick();
  return report.clientReportId;
}

export async function queuedReports(): Promise<QueuedReport[]> {
  const user = getUser();
  return user ? reportsOf(user.id) : [];
}

/** Sends one report now, ignoring its backoff (the "retry now" button). */
export async function retryNow(clientReportId: string): Promise<void> {
  await updateReport(clientReportId, (r) => (r.state === 'sent' ? r : { ...r, state: 'pending', nextAttemptAt: 0 }));
  emit({ type: 'changed' });
  kick();
}

/** Forgets a report: one the server refused, or one the server's own list now shows. */
export async function removeQueued(clientReportId: string): Promise<void> {
  await deleteReport(clientReportId);
  emit({ type: 'changed' });
}

function buildForm(r: QueuedReport): FormData {
  const form = new FormData();
  form.append('clientReportId', r.clientReportId);
  form.append('region', r.region);
  form.append('number', r.number);
  if (r.values) form.append('values', JSON.stringify(r.values));
  if (r.comment) form.append('comment', r.comment);
  for (const p of r.photos) form.append('photos', p.blob, p.name);
  return form;
}

async function sendOne(r: QueuedReport): Promise<void> {
  await updateReport(r.clientReportId, (x) => ({ ...x, state: 'sending', attempts: x.attempts + 1 }));
  emit({ type: 'changed' });
  current = new AbortController();
  try {
    const { body } = await upload<{ id: string; status: string }>(api.reportPath(r.electionSlug), buildForm(r), {
      signal: current.signal,
      onProgress: (loaded, total) =>
        emit({ type: 'progress', id: r.clientReportId, loaded, total: total || r.totalBytes }),
    });
    await updateReport(r.clientReportId, (x) => ({
      ...x,
      state: 'sent',
      photos: [],
      serverId: body?.id,
      serverStatus: body?.status,
      sentAt: Date.now(),
      lastError: undefined,
    }));
  } catch (err) {
    const retry = isRetryable(err);
    await updateReport(r.clientReportId, (x) => ({
      ...x,
      state: retry ? 'pending' : 'failed',
      nextAttemptAt: Date.now() + backoffDelay(x.attempts),
      lastError: err instanceof Error ? err.message : String(err),
      errorStatus: err instanceof ApiError ? err.status : undefined,
    }));
  } finally {
    current = null;
    progress.delete(r.clientReportId);
    emit({ type: 'changed' });
  }
}

async function drain(): Promise<void> {
  for (;;) {
    const user = getUser();
    if (!user || !navigator.onLine) return;
    const now = Date.now();
    const due = (await reportsOf(user.id))
      .filter((r) => (r.state === 'pending' || r.state === 'sending') && r.nextAttemptAt <= now)
      .sort((a, b) => a.createdAt - b.createdAt)[0];
    if (!due) return;
    // Re-read inside the lock: another tab may have finished it a moment ago.
    const fresh = await getReport(due.clientReportId);
    if (!fresh || fresh.state === 'sent' || fresh.state === 'failed') continue;
    await sendOne(fresh);
  }
}

async function scheduleNext(): Promise<void> {
  clearTimeout(timer);
  const waiting = (await queuedReports()).filter((r) => r.state === 'pending' || r.state === 'sending');
  if (waiting.length === 0) return;
  const next = Math.min(...waiting.map((r) => r.nextAttemptAt));
  timer = setTimeout(kick, Math.max(1000, next - Date.now()));
}

/** Runs the sender if no other tab is running it. Safe to call any time. */
export function kick(): void {
  if (running) return;
  running = true;
  const run = async () => {
    try {
      await drain();
    } finally {
      running = false;
      await scheduleNext();
    }
  };
  if (navigator.locks) {
    void navigator.locks
      .request(LOCK_NAME, { ifAvailable: true }, async (lock) => {
        if (!lock) {
          running = false;
          await scheduleNext();
          return;
        }
        await run();
      })
      .catch(() => {
        running = false;
      });
  } else {
    void run();
  }
}

/** Called once at start: resumes reports left by a closed tab and follows the network. */
export function startOutbox(): void {
  window.addEventListener('online', async () => {
    for (const r of await queuedReports()) {
      if (r.state === 'pending') await updateReport(r.clientReportId, (x) => ({ ...x, nextAttemptAt: 0 }));
    }
    emit({ type: 'changed' });
    kick();
  });
  // An upload in flight when the network drops is abandoned at once and retried later.
  window.addEventListener('offline', () => current?.abort());
  onSessionChange(kick);
  setInterval(kick, 30_000);
  kick();
}
