import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** A processed photo as other areas show it (review desk, discrepancy pages). */
export interface PhotoRef {
  id: string;
  reportId: string;
  url: string;
  width: number | null;
  height: number | null;
  sha256: string;
}

export interface PhotoRow extends PhotoRef {
  position: number;
  status: 'pending' | 'processed' | 'failed';
  error: string | null;
}

export interface PhotoSimilarity {
  photoId: string;
  similarPhotoId: string;
  similarReportId: string;
  kind: 'other_precinct' | 'same_precinct';
  distance: number;
}

export interface PhotoToProcess {
  id: string;
  reportId: string;
  electionId: string;
  sha256: string;
  status: 'pending' | 'processed' | 'failed';
}

export interface PhotoToServe {
  id: string;
  sha256: string;
  mime: string;
  status: 'pending' | 'processed' | 'failed';
  observerId: string;
  /** The photo's report is on the public discrepancy list. */
  isPublic: boolean;
}

export interface NewPhoto {
  position: number;
  sha256: string;
  size: number;
  mime: string;
  width: number;
  height: number;
}

/**
 * Perceptual-hash distances (bits of 256) under which two photos count as the same picture:
 * strict across precincts, where a different protocol of the same form is expected to look
 * alike, looser inside one precinct, where a second shot of the same sheet is the usual case.
 */
export const SAME_PICTURE_OTHER_PRECINCT = 6;
export const SAME_PICTURE_SAME_PRECINCT = 20;

/** Where the public discrepancy list is stored (filled by matching). */
const PUBLIC_STATUSES = `('mismatch', 'conflicting_reports', 'official_changed')`;

export const photoUrl = (id: string): string => `/api/photos/${id}`;

const REF_COLUMNS = `p.id, p.report_id AS "reportId", p.width, p.height, p.sha256, p.position, p.status, p.error`;

@Injectable()
export class PhotosRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Processed photos of the given reports, in report then upload order. */
  async forReports(reportIds: string[]): Promise<PhotoRef[]> {
    if (reportIds.length === 0) return [];
    const rows: PhotoRow[] = await this.dataSource.query(
      `SELECT ${REF_COLUMNS} FROM photos p
        WHERE p.report_id = ANY($1::uuid[]) AND p.status = 'processed' ORDER BY p.report_id, p.position`,
      [reportIds],
    );
    return rows.map(({ id, reportId, width, height, sha256 }) => ({
      id,
      reportId,
      url: photoUrl(id),
      width,
      height,
      sha256,
    }));
  }

  /** Every photo of the given reports, whatever its state. */
  async allOf(reportIds: string[]): Promise<PhotoRow[]> {
    if (reportIds.length === 0) return [];
    const rows: PhotoRow[] = await this.dataSource.query(
      `SELECT ${REF_COLUMNS} FROM photos p WHERE p.report_id = ANY($1::uuid[]) ORDER BY p.report_id, p.position`,
      [reportIds],
    );
    return rows.map((r) => ({ ...r, url: photoUrl(r.id) }));
  }

  /** Similarity flags touching the given photos, seen from each of them. */
  async similaritiesOf(photoIds: string[]): Promise<PhotoSimilarity[]> {
    if (photoIds.length === 0) return [];
    return this.dataSource.query(
      `SELECT s.photo_id AS "photoId", s.similar_photo_id AS "similarPhotoId", o.report_id AS "similarReportId",
              s.kind, s.distance
         FROM photo_similarities s JOIN photos o ON o.id = s.similar_photo_id
        WHERE s.photo_id = ANY($1::uuid[])
       UNION ALL
       SELECT s.similar_photo_id, s.photo_id, o.report_id, s.kind, s.distance
         FROM photo_similarities s JOIN photos o ON o.id = s.photo_id
        WHERE s.similar_photo_id = ANY($1::uuid[])`,
      [photoIds],
    );
  }

  /**
   * Serialises writers of the same bytes: see `ReportSubmissionService.ensureOriginals` and
   * cleanup. One round trip for all of a report's photos; the locks are taken in key order
   * (PostgreSQL evaluates volatile output expressions after ORDER BY), so two uploads sharing
   * photos cannot deadlock.
   */
  async lockBytes(manager: EntityManager, sha256s: string[]): Promise<void> {
    await manager.query(
      `SELECT pg_advisory_xact_lock(hashtextextended(k, 0))
         FROM unnest($1::text[]) AS k ORDER BY k COLLATE "C"`,
      [[...new Set(sha256s)].map((sha) => `photo-bytes:${sha}`)],
    );
  }

  /** Of these byte keys, the ones no photo row refers to (read without locks: candidates only). */
  async unreferencedBytes(sha256s: string[]): Promise<string[]> {
    const rows: Array<{ k: string }> = await this.dataSource.query(
      `SELECT k FROM unnest($1::text[]) AS k WHERE NOT EXISTS (SELECT 1 FROM photos p WHERE p.sha256 = k)`,
      [sha256s],
    );
    return rows.map((r) => r.k);
  }

  async bytesReferenced(manager: EntityManager, sha256: string): Promise<boolean> {
    const rows = await manager.query(`SELECT 1 FROM photos WHERE sha256 = $1 LIMIT 1`, [sha256]);
    return rows.length > 0;
  }

  async findToProcess(photoId: string): Promise<PhotoToProcess | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT p.id, p.report_id AS "reportId", r.election_id AS "electionId", p.sha256, p.status
         FROM photos p JOIN reports r ON r.id = p.report_id WHERE p.id = $1`,
      [photoId],
    );
    return row;
  }

  /** Records the result once: a retried or duplicated job finds the photo settled already. */
  async markProcessed(
    manager: EntityManager,
    photoId: string,
    result: { width: number; height: number; phash: string },
  ): Promise<boolean> {
    const rows = await manager.query(
      `UPDATE photos SET status = 'processed', width = $2, height = $3, phash = $4, error = NULL, processed_at = now()
        WHERE id = $1 AND status = 'pending' RETURNING id`,
      [photoId, result.width, result.height, result.phash],
    );
    return returned(rows).length > 0;
  }

  async markFailed(manager: EntityManager, photoId: string, error: string): Promise<boolean> {
    const rows = await manager.query(
      `UPDATE photos SET status = 'failed', error = $2, processed_at = now()
        WHERE id = $1 AND status = 'pending' RETURNING id`,
      [photoId, error.slice(0, 1000)],
    );
    return returned(rows).length > 0;
  }

  /**
   * Flags processed photos of the same election whose perceptual hash is close to this one's.
   * Callers hold the election's similarity lock, so two look-alikes processed at once still
   * see each other. One statement over the election's photos (a hash compare is a few ns).
   */
  async flagSimilar(manager: EntityManager, photoId: string): Promise<number> {
    const rows = await manager.query(
      `INSERT INTO photo_similarities (photo_id, similar_photo_id, kind, distance)
       SELECT p.id, o.id, CASE WHEN orep.precinct_id = r.precinct_id THEN 'same_precinct' ELSE 'other_precinct' END, d.distance
         FROM photos p
         JOIN reports r ON r.id = p.report_id
         JOIN reports orep ON orep.election_id = r.election_id AND orep.id <> r.id
         JOIN photos o ON o.report_id = orep.id AND o.status = 'processed' AND o.phash IS NOT NULL
         CROSS JOIN LATERAL (
           SELECT bit_count(('x' || o.phash)::bit(256) # ('x' || p.phash)::bit(256))::int AS distance
         ) d
        WHERE p.id = $1
          AND d.distance <= CASE WHEN orep.precinct_id = r.precinct_id THEN $2::int ELSE $3::int END
       ON CONFLICT DO NOTHING RETURNING 1`,
      [photoId, SAME_PICTURE_SAME_PRECINCT, SAME_PICTURE_OTHER_PRECINCT],
    );
    return rows.length;
  }

  async lockSimilarity(manager: EntityManager, electionId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`photo-similarity:${electionId}`]);
  }

  /**
   * Pending photos older than `minAgeSeconds` whose job is not waiting in the outbox: their job
   * is in Redis, or was lost there. The reconciler checks which.
   */
  async pendingBeyondOutbox(minAgeSeconds: number, limit: number): Promise<Array<{ id: string; reportId: string }>> {
    return this.dataSource.query(
      `SELECT p.id, p.report_id AS "reportId" FROM photos p
        WHERE p.status = 'pending' AND p.created_at < now() - make_interval(secs => $1)
          AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.job_id = 'photo-' || p.id AND o.dispatched_at IS NULL)
        ORDER BY p.created_at LIMIT $2`,
      [minAgeSeconds, limit],
    );
  }

  async findToServe(photoId: string): Promise<PhotoToServe | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT p.id, p.sha256, p.mime, p.status, r.observer_id AS "observerId",
              EXISTS (SELECT 1 FROM precinct_matches m
                       WHERE m.election_id = r.election_id AND m.precinct_id = r.precinct_id
                         AND m.status IN ${PUBLIC_STATUSES} AND r.id = ANY(m.report_ids)) AS "isPublic"
         FROM photos p JOIN reports r ON r.id = p.report_id WHERE p.id = $1`,
      [photoId],
    );
    return row;
  }
}

/** TypeORM answers an UPDATE … RETURNING with [rows, count] on PostgreSQL. */
export function returned<T>(result: unknown): T[] {
  const r = result as unknown[];
  return (Array.isArray(r[0]) ? r[0] : r) as T[];
}
