import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ProtocolValues } from '../types';

/**
 * The outbox of observer reports in IndexedDB. A report is written here, photos included,
 * before the first attempt to send it, so closing the tab or losing the network loses nothing.
 */

export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed';

export interface QueuedPhoto {
  name: string;
  type: string;
  size: number;
  blob: Blob;
}

export interface QueuedReport {
  /** Made once, when the report is queued; every retry sends the same one. */
  clientReportId: string;
  userId: string;
  electionSlug: string;
  electionName?: string;
  region: string;
  number: string;
  values?: ProtocolValues;
  comment?: string;
  /** Emptied once the server has the report, to give the space back. */
  photos: QueuedPhoto[];
  photoCount: number;
  totalBytes: number;
  createdAt: number;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
  /** HTTP status of a permanent failure. */
  errorStatus?: number;
  serverId?: string;
  serverStatus?: string;
  sentAt?: number;
}

interface OutboxSchema extends DBSchema {
  reports: {
    key: string;
    value: QueuedReport;
    indexes: { byUser: string };
  };
}

let dbPromise: Promise<IDBPDatabase<OutboxSchema>> | null = null;

function db(): Promise<IDBPDatabase<OutboxSchema>> {
  dbPromise ??= openDB<OutboxSchema>('votecheck-outbox', 1, {
    upgrade(database) {
      const store = database.createObjectStore('reports', { keyPath: 'clientReportId' });
      store.createIndex('byUser', 'userId');
    },
  });
  return dbPromise;
}

export async function putReport(report: QueuedReport): Promise<void> {
  await (await db()).put('reports', report);
}

export async function getReport(clientReportId: string): Promise<QueuedReport | undefined> {
  return (await db()).get('reports', clientReportId);
}

export async function reportsOf(userId: string): Promise<QueuedReport[]> {
  const all = await (await db()).getAllFromIndex('reports', 'byUser', userId);
  return all.sort((a, b) => b.createdAt - a.createdAt);
}

export async function deleteReport(clientReportId: string): Promise<void> {
  await (await db()).delete('reports', clientReportId);
}

/** Applies `change` to the stored report inside one transaction; returns the new record. */
export async function updateReport(
  clientReportId: string,
  change: (r: QueuedReport) => QueuedReport,
): Promise<QueuedReport | undefined> {
  const tx = (await db()).transaction('reports', 'readwrite');
  const current = await tx.store.get(clientReportId);
  if (!current) {
    await tx.done;
    return undefined;
  }
  const next = change(current);
  await tx.store.put(next);
  await tx.done;
  return next;
}
