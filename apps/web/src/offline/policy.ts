import { ApiError } from '../api';

/** When to retry a report, and how long to wait. */

const BASE_MS = 2_000;
const MAX_MS = 5 * 60_000;

/** Exponential backoff with ±25 % jitter, so phones coming back online together spread out. */
export function backoffDelay(attempts: number): number {
  const raw = Math.min(MAX_MS, BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(raw * (0.75 + Math.random() * 0.5));
}

/**
 * Network errors, 5xx, 408 and 429 are worth another try, and so is 401 (the observer logs in
 * again and the report goes out); any other 4xx means the report itself is wrong.
 */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof ApiError)) return true;
  return err.status >= 500 || err.status === 408 || err.status === 429 || err.status === 401;
}

/** The API refuses file names with `/`, `\`, `..` or control characters. */
export function safeFileName(name: string, index: number, type: string): string {
  const cleaned = name
    // eslint-disable-next-line no-control-regex
    .replace(/[/\\\u0000-\u001f\u007f]/g, '_')
    .replace(/\.{2,}/g, '.')
    .trim();
  if (cleaned && cleaned !== '.') return cleaned.slice(-120);
  const ext = type === 'image/png' ? 'png' : type === 'image/webp' ? 'webp' : 'jpg';
  return `photo-${index + 1}.${ext}`;
}
