import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditFields, canonicalAuditJson } from './audit-hash';
import { verifyAuditLog, VerifyResult } from './audit-verifier';

/** What happened to a report; names are stored, never rename them. */
export type AuditAction =
  | 'report.received'
  | 'report.processed'
  | 'photo.failed'
  | 'task.claimed'
  | 'task.submitted'
  | 'task.rejected'
  | 'task.released'
  | 'task.expired'
  | 'report.arbitrated'
  | 'report.reviewed'
  | 'report.rejected';

export interface AuditEntryInput {
  action: AuditAction;
  reportId?: string | null;
  actorId?: string | null;
  data?: Record<string, unknown>;
}

export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  reportId: string | null;
  action: string;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** The chain of entries that concern no report. */
export const GLOBAL_STREAM = 'global';
export const GENESIS_HASH = '0'.repeat(64);

/** A report's entries form one chain, keyed by the report's id. */
export const streamOf = (reportId: string | null | undefined): string => reportId ?? GLOBAL_STREAM;

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Appends one entry inside the caller's transaction; see `appendAll`. */
  async append(manager: EntityManager, entry: AuditEntryInput): Promise<void> {
    await this.appendAll(manager, [entry]);
  }

  /**
   * Appends entries, in order, inside the caller's transaction. Each report has its own chain:
   * its head row is locked until the transaction ends, which orders that report's entries and
   * keeps its chain unbroken; writes about different reports never wait for each other here.
   * Heads are locked in stream order so that two transactions touching the same reports cannot
   * deadlock. One round trip per stream touched.
   */
  async appendAll(manager: EntityManager, entries: AuditEntryInput[]): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) throw new Error('audit entries must be written in a transaction');
    const byStream = new Map<string, AuditEntryInput[]>();
    for (const e of entries) {
      const key = streamOf(e.reportId);
      byStream.set(key, [...(byStream.get(key) ?? []), e]);
    }
    for (const stream of [...byStream.keys()].sort()) await this.appendToStream(manager, stream, byStream.get(stream)!);
  }

  async forReport(reportId: string): Promise<AuditEntry[]> {
    return this.dataSource.query(
      `SELECT id::text, at, actor_id AS "actorId", report_id AS "reportId", action, data,
              prev_hash AS "prevHash", hash
         FROM audit_log WHERE report_id = $1 ORDER BY audit_log.id`,
      [reportId],
    );
  }

  /** Walks every chain: any edited, inserted or deleted entry breaks one. */
  verify(): Promise<VerifyResult> {
    return verifyAuditLog(this.dataSource);
  }

  /**
   * The entries of one stream as `audit_append` takes them (JSON text), stamped now: for a
   * database function that appends them itself in the same statement as other writes.
   */
  auditEntriesJson(entries: AuditEntryInput[]): string {
    const streams = new Set(entries.map((e) => streamOf(e.reportId)));
    if (streams.size > 1) throw new Error('auditEntriesJson takes the entries of one stream');
    return JSON.stringify(entryRows(entries));
  }

  private async appendToStream(manager: EntityManager, stream: string, entries: AuditEntryInput[]): Promise<void> {
    // audit_append (see its migration) locks the stream's head, links and stores the entries.
    await manager.query(`SELECT audit_append($1, $2::jsonb)`, [stream, JSON.stringify(entryRows(entries))]);
  }
}

/** Entries stamped now, each with the canonical JSON its hash covers (see audit-hash.ts). */
function entryRows(entries: AuditEntryInput[]) {
  const at = new Date().toISOString();
  return entries.map((e) => {
    const fields: AuditFields = {
      at,
      actorId: e.actorId ?? null,
      reportId: e.reportId ?? null,
      action: e.action,
      data: e.data ?? {},
    };
    return {
      at,
      actor_id: fields.actorId,
      report_id: fields.reportId,
      action: fields.action,
      data: fields.data,
      canon: canonicalAuditJson(fields),
    };
  });
}
