import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReportReceive1764134200000 implements MigrationInterface {
  name = 'ReportReceive1764134200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Accepts an upload in one statement (one round trip, and on its own its own transaction):
      -- the report, unless this observer sent the same clientReportId before (a concurrent twin
      -- waits on the unique index until the first commits, then gets NULL back and nothing is
      -- written); then its photos, their outbox rows and its audit entries, which open the
      -- report's own chain. Ids and the audit entries' canonical JSON come from the caller
      -- (ReportSubmissionService, OutboxService.outboxRowsJson, AuditService.auditEntriesJson),
      -- so that every row has the shape those services give it elsewhere.
      CREATE FUNCTION report_receive(p_report jsonb, p_photos jsonb, p_outbox jsonb, p_audit jsonb) RETURNS uuid
      LANGUAGE plpgsql AS $fn$
      DECLARE
        rid uuid;
      BEGIN
        INSERT INTO reports (id, election_id, precinct_id, observer_id, client_report_id, status, observer_values, comment)
        SELECT r.id, r.election_id, r.precinct_id, r.observer_id, r.client_report_id, 'received', r.observer_values,
               r.comment
          FROM jsonb_to_record(p_report) AS r(id uuid, election_id uuid, precinct_id int, observer_id uuid,
                                              client_report_id uuid, observer_values jsonb, comment text)
        ON CONFLICT (observer_id, client_report_id) DO NOTHING
        RETURNING id INTO rid;
        IF rid IS NULL THEN
          RETURN NULL;
        END IF;
        INSERT INTO photos (id, report_id, position, sha256, size, mime, width, height, status)
        SELECT p.id, rid, p.position, p.sha256, p.size, p.mime, p.width, p.height, 'pending'
          FROM jsonb_to_recordset(p_photos) AS p(id uuid, position smallint, sha256 text, size bigint, mime text,
                                                 width int, height int);
        INSERT INTO outbox (queue, job_name, job_id, payload)
        SELECT o.queue, o.job_name, o.job_id, o.payload
          FROM ROWS FROM (jsonb_to_recordset(p_outbox) AS (queue text, job_name text, job_id text, payload jsonb))
               WITH ORDINALITY AS o(queue, job_name, job_id, payload, n)
         ORDER BY o.n;
        PERFORM audit_append(rid::text, p_audit);
        RETURN rid;
      END
      $fn$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION report_receive(jsonb, jsonb, jsonb, jsonb)`);
  }
}
