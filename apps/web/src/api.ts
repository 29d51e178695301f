import { clearSession, getToken } from './session';
import type {
  Discrepancy,
  Election,
  EvotingDistrict,
  EvotingRegion,
  Forensics,
  ImportChanges,
  ImportStatus,
  Invite,
  ModeratorStats,
  Precinct,
  PrecinctDiscrepancy,
  ProtocolValues,
  RejectReason,
  Report,
  ReviewTask,
  SubmitResult,
  Summary,
  Transcription,
  User,
} from './types';

/** All HTTP access of the UI. Every path is relative to the page's origin, under `/api`. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/** Network failure (no answer at all), as opposed to an HTTP error answer. */
export class NetworkError extends Error {}

/** `onLine === false` is reliable (unlike `true`): fail at once instead of trying. */
function assertOnline(): void {
  if (!navigator.onLine) throw new NetworkError('offline');
}

function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

function messageOf(body: unknown, status: number): string {
  if (body && typeof body === 'object' && 'message' in body) {
    const m = (body as { message: unknown }).message;
    if (Array.isArray(m)) return m.join('; ');
    if (typeof m === 'string') return m;
  }
  return `HTTP ${status}`;
}

export function toApiError(status: number, text: string): ApiError {
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: keep the text */
  }
  if (status === 401 && getToken()) clearSession();
  return new ApiError(status, messageOf(body, status), body);
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders() };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  assertOnline();
  let res: Response;
  try {
    res = await fetch(`/api${path}`, { method, headers, body: payload });
  } catch (err) {
    throw new NetworkError(err instanceof Error ? err.message : String(err));
  }
  const text = await res.text();
  if (!res.ok) throw toApiError(res.status, text);
  return (text ? JSON.parse(text) : undefined) as T;
}

const get = <T>(path: string) => request<T>('GET', path);
const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body);

function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

const enc = encodeURIComponent;

export interface UploadOptions {
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * Multipart POST through XMLHttpRequest, the only browser API that reports upload progress.
 * Resolves with the HTTP status and parsed body of a 2xx answer; rejects with ApiError or NetworkError.
 */
export function upload<T>(
  path: string,
  form: FormData,
  opts: UploadOptions = {},
): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    if (!navigator.onLine) return reject(new NetworkError('offline'));
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api${path}`);
    for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => opts.onProgress?.(e.loaded, e.lengthComputable ? e.total : 0);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        let body: unknown;
        try {
          body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
        } catch {
          body = undefined;
        }
        resolve({ status: xhr.status, body: body as T });
      } else if (xhr.status === 0) {
        reject(new NetworkError('no answer'));
      } else {
        reject(toApiError(xhr.status, xhr.responseText));
      }
    };
    xhr.onerror = () => reject(new NetworkError('network error'));
    xhr.ontimeout = () => reject(new NetworkError('timeout'));
    xhr.onabort = () => reject(new NetworkError('aborted'));
    opts.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(form);
  });
}

/** Fetches a photo with the bearer token (an <img src> cannot send it) and returns a Blob. */
export async function fetchPhoto(url: string): Promise<Blob> {
  assertOnline();
  let res: Response;
  try {
    res = await fetch(url, { headers: authHeaders() });
  } catch (err) {
    throw new NetworkError(err instanceof Error ? err.message : String(err));
  }
  if (!res.ok) throw toApiError(res.status, await res.text());
  return res.blob();
}

export const api = {
  // Accounts
  login: (email: string, password: string) =>
    post<{ accessToken: string; user: User }>('/auth/login', { email, password }),
  register: (body: { code: string; email: string; password: string; displayName?: string }) =>
    post<{ accessToken: string; user: User }>('/auth/register', body),
  me: () => get<User>('/auth/me'),
  invites: () => get<{ items: Invite[] } | Invite[]>('/invites').then(listOf),
  createInvite: (body: {
    role: 'observer' | 'moderator';
    electionSlug?: string;
    maxUses?: number;
    expiresAt?: string;
  }) => post<{ code: string }>('/invites', body),

  // Elections and precincts
  elections: () => get<{ items: Election[] } | Election[]>('/elections').then(listOf),
  election: (slug: string) => get<Election>(`/elections/${enc(slug)}`),
  createElection: (body: Record<string, unknown>) => post<Election>('/elections', body),
  findPrecincts: (slug: string, region: string, number: string) =>
    get<{ items: Precinct[]; total: number }>(`/elections/${enc(slug)}/precincts${query({ region, number })}`),

  // Observer reports (the upload itself goes through offline/ and `upload`)
  reportPath: (slug: string) => `/elections/${enc(slug)}/reports`,
  myReports: () => get<{ items: Report[] }>('/reports?mine=true').then((r) => r.items),
  report: (id: string) => get<Report>(`/reports/${enc(id)}`),

  // Review
  claim: async (kind?: 'arbitrate'): Promise<ReviewTask | null> => {
    const task = await post<ReviewTask | undefined>(`/review/claim${query({ kind })}`);
    return task ?? null;
  },
  extend: (taskId: string) => post<{ lockExpiresAt: string }>(`/review/tasks/${enc(taskId)}/extend`),
  submitValues: (taskId: string, values: ProtocolValues, confirmViolations = false) =>
    post<SubmitResult>(`/review/tasks/${enc(taskId)}/submit`, {
      values,
      ...(confirmViolations ? { confirmViolations } : {}),
    }),
  reject: (taskId: string, reason: RejectReason, text?: string) =>
    post<SubmitResult>(`/review/tasks/${enc(taskId)}/submit`, { reject: { reason, ...(text ? { text } : {}) } }),
  release: (taskId: string) => post<void>(`/review/tasks/${enc(taskId)}/release`),
  /** Gives a task back when the moderator leaves the page; `keepalive` lets it outlive the page. */
  releaseOnExit: (taskId: string) => {
    if (!navigator.onLine) return;
    void fetch(`/api/review/tasks/${enc(taskId)}/release`, {
      method: 'POST',
      headers: authHeaders(),
      keepalive: true,
    }).catch(() => undefined);
  },
  transcriptions: (taskId: string) =>
    get<{ transcriptions: Transcription[]; differingLines: number[] }>(`/review/tasks/${enc(taskId)}/transcriptions`),
  stats: () => get<{ items: ModeratorStats[] }>('/review/stats').then((r) => r.items),

  // Imports
  precinctsImportPath: (slug: string) => `/elections/${enc(slug)}/precincts`,
  officialImportPath: (slug: string) => `/elections/${enc(slug)}/official-results`,
  importStatus: (id: string) => get<ImportStatus>(`/imports/${enc(id)}`),
  importChanges: (id: string, page = 1) =>
    get<ImportChanges>(`/imports/${enc(id)}/changes${query({ page, pageSize: 100 })}`),
  imports: (slug: string) =>
    get<{ items: ImportStatus[] } | ImportStatus[]>(`/elections/${enc(slug)}/imports`).then(listOf),

  // Public
  discrepancies: (
    slug: string,
    f: { status?: string; region?: string; district?: string; page?: number; pageSize?: number },
  ) => get<{ items: Discrepancy[]; total: number }>(`/elections/${enc(slug)}/discrepancies${query(f)}`),
  discrepanciesCsvUrl: (slug: string, f: { status?: string; region?: string; district?: string }) =>
    `/api/elections/${enc(slug)}/discrepancies.csv${query(f)}`,
  summary: (slug: string) => get<Summary>(`/elections/${enc(slug)}/summary`),
  precinctDiscrepancy: (slug: string, precinctId: string) =>
    get<PrecinctDiscrepancy>(`/elections/${enc(slug)}/precincts/${enc(precinctId)}/discrepancy`),
  evoting: (slug: string) =>
    get<{ districts: EvotingDistrict[]; regions?: EvotingRegion[] }>(`/elections/${enc(slug)}/analysis/evoting`),
  forensics: (slug: string, region?: string) =>
    get<Forensics>(`/elections/${enc(slug)}/analysis/forensics${query({ region })}`),

  queuesDashboardUrl: '/api/admin/queues',
  /** The dashboard is opened by navigation, which carries no bearer header: get a cookie first. */
  openQueuesDashboard: () => post<void>('/admin/session'),
};

function listOf<T>(r: { items: T[] } | T[]): T[] {
  return Array.isArray(r) ? r : r.items;
}
