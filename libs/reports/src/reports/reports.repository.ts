import { ElectionEntity } from '@app/database';
import { ProtocolValues, ReportStatus } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { returned } from '../photos/photos.repository';

export interface ReportRow {
  id: string;
  status: ReportStatus;
  observerId: string;
  clientReportId: string;
  electionSlug: string;
  observerValues: ProtocolValues | null;
  comment: string | null;
  createdAt: Date;
  precinct: { id: number; region: string; district: string | null; territory: string | null; number: string };
}

/** A report just moved out of processing, with what its `report.processed` entry records. */
export interface SettledReport {
  status: ReportStatus;
  processed: number;
  failed: number;
}

export interface NewReport {
  electionId: string;
  precinctId: number;
  observerId: string;
  clientReportId: string;
  values: ProtocolValues | null;
  comment: string | null;
}

/** What an upload needs to know before its files are looked at, read in one round trip. */
export interface Intake {
  election: Pick<ElectionEntity, 'id' | 'slug' | 'template'>;
  /** The report this observer sent before with the same clientReportId. */
  earlier?: { id: string; status: ReportStatus };
  /** The named precinct's id, when the election has it. */
  precinctId?: number;
}

const VIEW = `
  SELECT r.id, r.status, r.observer_id AS "observerId", r.client_report_id AS "clientReportId",
         e.slug AS "electionSlug", r.observer_values AS "observerValues", r.comment, r.created_at AS "createdAt",
         json_build_object('id', p.id, 'region', p.region, 'district', p.district, 'territory', p.territory,
                           'number', p.number) AS precinct
    FROM reports r JOIN elections e ON e.id = r.election_id JOIN precincts p ON p.id = r.precinct_id`;

@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findByClientId(
    observerId: string,
    clientReportId: string,
  ): Promise<{ id: string; status: ReportStatus } | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT id, status FROM reports WHERE observer_id = $1 AND client_report_id = $2`,
      [observerId, clientReportId],
    );
    return row;
  }

  /**
   * The election by slug, the observer's earlier report with this clientReportId and the named
   * precinct, in one round trip (each is on the upload's critical path). Undefined for an
   * unknown election. A clientReportId or precinct that is not well formed is passed as null
   * (the upload is refused for it later); each lookup is a plain index probe.
   */
  async intake(
    slug: string,
    observerId: string,
    clientReportId: string | null,
    precinct: { id: number } | { region: string; number: string } | null,
  ): Promise<Intake | undefined> {
    const byId = precinct && 'id' in precinct ? precinct.id : null;
    const byName = precinct && 'region' in precinct ? precinct : null;
    const [row] = await this.dataSource.query(
      `SELECT e.id, e.slug, e.template,
              (SELECT json_build_object('id', r.id, 'status', r.status) FROM reports r
                WHERE r.observer_id = $2 AND r.client_report_id = $3::uuid) AS earlier,
              coalesce((SELECT p.id FROM precincts p WHERE p.id = $4::int AND p.election_id = e.id),
                       (SELECT p.id FROM precincts p
                         WHERE p.election_id = e.id AND p.region = $5 AND p.number = $6)) AS "precinctId"
         FROM elections e WHERE e.slug = $1`,
      [slug, observerId, clientReportId, byId, byName?.region ?? null, byName?.number ?? null],
    );
    if (!row) return undefined;
    return {
      election: { id: row.id, slug: row.slug, template: row.template },
      earlier: row.earlier ?? undefined,
      precinctId: row.precinctId ?? undefined,
    };
  }

  async view(id: string): Promise<ReportRow | undefined> {
    const [row] = await this.dataSource.query(`${VIEW} WHERE r.id = $1`, [id]);
    return row;
  }

  async viewsOfObserver(observerId: string, limit: number): Promise<ReportRow[]> {
    return this.dataSource.query(`${VIEW} WHERE r.observer_id = $1 ORDER BY r.created_at DESC LIMIT $2`, [
      observerId,
      limit,
    ]);
  }

  async markProcessing(manager: EntityManager, reportId: string): Promise<void> {
    await manager.query(
      `UPDATE reports SET status = 'processing', updated_at = now() WHERE id = $1 AND status = 'received'`,
      [reportId],
    );
  }

  /**
   * Moves a report whose photos are all settled out of processing, exactly once: the status
   * condition is re-checked on the locked row, so of two concurrent callers one wins. With at
   * least one processed photo it awaits review; with none it is rejected (nothing to read).
   */
  async settle(manager: EntityManager, reportId: string): Promise<SettledReport | undefined> {
    const [row] = returned<SettledReport>(
      await manager.query(
        `WITH counts AS (
         SELECT count(*) FILTER (WHERE status = 'processed')::int AS processed,
                count(*) FILTER (WHERE status = 'failed')::int AS failed,
                count(*) FILTER (WHERE status = 'pending')::int AS pending
           FROM photos WHERE report_id = $1)
       UPDATE reports r
          SET status = CASE WHEN c.processed > 0 THEN 'awaiting_review' ELSE 'rejected' END, updated_at = now()
         FROM counts c
        WHERE r.id = $1 AND r.status IN ('received', 'processing') AND c.pending = 0
       RETURNING r.status, c.processed, c.failed`,
        [reportId],
      ),
    );
    return row;
  }

  /** Reports whose photos are all settled but that were left in processing (a crash between). */
  async unsettled(limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT r.id FROM reports r
        WHERE r.status IN ('received', 'processing') AND r.updated_at < now() - interval '10 seconds'
          AND NOT EXISTS (SELECT 1 FROM photos p WHERE p.report_id = r.id AND p.status = 'pending')
        LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }
}
