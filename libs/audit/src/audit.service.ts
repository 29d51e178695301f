import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { auditHash, AuditFields } from './audit-hash';

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

export interface VerifyResult {
  ok: boolean;
  entries: number;
  problems: string[];
}

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Appends an entry inside the caller's transaction. The chain head row is locked until that
   * transaction ends, which orders entries and keeps the chain unbroken under concurrency.
   */
  async append(
    manager: EntityManager,
    entry: { action: AuditAction; reportId?: string | null; actorId?: string | null; data?: Record<string, unknown> },
  ): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) throw new Error('audit entries must be written in a transaction');
    const [head] = await manager.query(`SELECT last_hash FROM audit_head FOR UPDATE`);
    const fields: AuditFields = {
      at: new Date().toISOString(),
      actorId: entry.actorId ?? null,
      reportId: entry.reportId ?? null,
      action: entry.action,
      data: entry.data ?? {},
    };
    const hash = auditHash(head.last_hash, fields);
    const [{ id }] = await manager.query(
      `INSERT INTO audit_log (at, actor_id, report_id, action, data, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [fields.at, fields.actorId, fields.reportId, fields.action, fields.data, head.last_hash, hash],
    );
    await manager.query(`UPDATE audit_head SET last_id = $1, last_hash = $2`, [id, hash]);
  }

  async forReport(reportId: string): Promise<AuditEntry[]> {
    return this.dataSource.query(
      `SELECT id::text, at, actor_id AS "actorId", report_id AS "reportId", action, data,
              prev_hash AS "prevHash", hash
         FROM audit_log WHERE report_id = $1 ORDER BY audit_log.id`,
      [reportId],
    );
  }

  /** Walks the whole chain: any edited, inserted or deleted entry breaks it. */
  async verify(): Promise<VerifyResult> {
    const problems: string[] = [];
    let prev = '0'.repeat(64);
    let entries = 0;
    let lastId: string | null = null;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      const stream = await runner.stream(
        `SELECT id::text, at, actor_id, report_id, action, data, prev_hash, hash FROM audit_log ORDER BY audit_log.id`,
      );
      for await (const row of stream as AsyncIterable<Record<string, never>>) {
        entries++;
        const expected = auditHash(prev, {
          at: new Date(row.at).toISOString(),
          actorId: row.actor_id,
          reportId: row.report_id,
          action: row.action,
          data: row.data,
        });
        if (row.prev_hash !== prev)
          problems.push(`entry ${row.id}: does not follow the entry before it (one was deleted or inserted)`);
        else if (row.hash !== expected) problems.push(`entry ${row.id}: its content does not match its hash (edited)`);
        prev = row.hash;
        lastId = row.id;
        if (problems.length >= 100) break;
      }
      const [head] = await runner.query(`SELECT last_id::text AS last_id, last_hash FROM audit_head`);
      if (problems.length < 100 && (head.last_id !== lastId || head.last_hash !== prev)) {
        problems.push(
          `the newest entry should be ${head.last_id ?? 'none'} but is ${lastId ?? 'none'} (entries deleted at the end)`,
        );
      }
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    return { ok: problems.length === 0, entries, problems };
  }
}
