import { AuthUser } from '@app/accounts';
import { AuditService } from '@app/audit';
import { ElectionsService, PrecinctsRepository } from '@app/elections';
import { job, JobName, OutboxRelay, OutboxService } from '@app/queue';
import { PhotoStorage, UploadedFile } from '@app/storage';
import { BadRequestException, Injectable, Logger, UnprocessableEntityException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PhotoInspector } from '../photos/photo-inspector';
import { NewPhoto, PhotosRepository } from '../photos/photos.repository';
import { SubmitResultDto } from './reports.dto';
import { NewReport, ReportsRepository } from './reports.repository';
import { clientReportIdOf, parseSubmissionFields } from './submission-fields';

export const photoJobId = (photoId: string): string => `photo-${photoId}`;

/**
 * Accepts an observer's report: checks every field and file, then in ONE transaction writes
 * the report, its photos, their processing jobs (outbox) and its `report.received` audit
 * entry. The entry opens the report's own audit chain, so concurrent uploads never wait for
 * each other on it; a resend writes no report and so no second entry. The photos are linked to
 * their content address before the commit, and checked under a lock inside the transaction, so
 * a committed report always has its files. Temporary files are removed whatever happens.
 */
@Injectable()
export class ReportSubmissionService {
  private readonly logger = new Logger(ReportSubmissionService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly elections: ElectionsService,
    private readonly precincts: PrecinctsRepository,
    private readonly reports: ReportsRepository,
    private readonly photos: PhotosRepository,
    private readonly inspector: PhotoInspector,
    private readonly storage: PhotoStorage,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly relay: OutboxRelay,
  ) {}

  async submit(
    slug: string,
    observer: AuthUser,
    body: Record<string, unknown>,
    files: UploadedFile[],
  ): Promise<SubmitResultDto> {
    try {
      return await this.accept(slug, observer, body, files);
    } finally {
      await Promise.all(files.map((f) => this.storage.removeTemp(f.path)));
    }
  }

  private async accept(
    slug: string,
    observer: AuthUser,
    body: Record<string, unknown>,
    files: UploadedFile[],
  ): Promise<SubmitResultDto> {
    // Two independent reads, one wait: each round trip to PostgreSQL is on the upload's
    // critical path. An unknown election is still the first answer.
    const [election, earlier] = await Promise.all([
      this.elections.getEntity(slug),
      this.earlierReport(observer.id, body),
    ]);
    // A resend of an accepted report is answered before its files are looked at again.
    if (earlier) return { ...earlier, created: false };
    const fields = parseSubmissionFields(body, this.elections.templateOf(election));
    if (files.length === 0) throw new BadRequestException('Attach at least one photo in the field "photos"');
    const precinct = await this.precincts.findOne(election.id, fields.precinct);
    if (!precinct) {
      const named =
        'id' in fields.precinct ? `id ${fields.precinct.id}` : `${fields.precinct.region} № ${fields.precinct.number}`;
      throw new UnprocessableEntityException(`No precinct ${named} in the election "${slug}"`);
    }
    const photos = await this.inspectAll(files);
    const report: NewReport = {
      electionId: election.id,
      precinctId: precinct.id,
      observerId: observer.id,
      clientReportId: fields.clientReportId,
      values: fields.values,
      comment: fields.comment,
    };
    const reportId = await this.store(report, files, photos);
    if (!reportId) {
      const twin = await this.reports.findByClientId(observer.id, fields.clientReportId);
      if (!twin) throw new Error('a concurrent report with the same clientReportId vanished');
      return { ...twin, created: false };
    }
    this.relay.kick();
    return { id: reportId, status: 'received', created: true };
  }

  /** The report this observer sent before with the same clientReportId; none if the id is bad (refused below). */
  private async earlierReport(observerId: string, body: Record<string, unknown>) {
    let clientReportId: string;
    try {
      clientReportId = clientReportIdOf(body);
    } catch {
      return undefined;
    }
    return this.reports.findByClientId(observerId, clientReportId);
  }

  /** Checks every file (in order, so the first bad one is named) and describes the photos. */
  private async inspectAll(files: UploadedFile[]): Promise<NewPhoto[]> {
    const photos: NewPhoto[] = [];
    for (const [i, file] of files.entries()) {
      const { mime, width, height } = await this.inspector.inspect(file, `photos[${i}]`);
      photos.push({ position: i + 1, sha256: file.sha256, size: file.size, mime, width, height });
    }
    return photos;
  }

  /**
   * Links the originals, then writes report, photos and jobs in one transaction. Returns the
   * new report's id, or undefined when a concurrent twin with the same clientReportId won.
   */
  private async store(report: NewReport, files: UploadedFile[], photos: NewPhoto[]): Promise<string | undefined> {
    // Linked before the transaction, so that it holds no connection and no lock during file
    // system work; re-checked inside it under the bytes lock (see `ensureOriginals`).
    const linked: string[] = [];
    let reportId: string | undefined;
    try {
      for (const file of files) {
        if (await this.storage.linkOriginal(file.path, file.sha256)) linked.push(file.sha256);
      }
      reportId = await this.dataSource.transaction(async (manager) => {
        const id = await this.reports.insertReceived(manager, report);
        if (!id) return undefined;
        await this.ensureOriginals(manager, files, linked);
        const photoIds = await this.photos.insertPending(manager, id, photos);
        await this.outbox.add(
          manager,
          ...photoIds.map((photoId) => job(JobName.ProcessPhoto, photoJobId(photoId), { photoId, reportId: id })),
        );
        await this.audit.append(manager, {
          action: 'report.received',
          reportId: id,
          actorId: report.observerId,
          data: { precinctId: report.precinctId, photos: photos.map((p) => p.sha256) },
        });
        return id;
      });
    } finally {
      // After a failure, or when the twin won: originals this request linked that nothing uses.
      if (!reportId) await this.forgetUnreferenced(linked);
    }
    return reportId;
  }

  /**
   * Under the bytes lock, until commit: every original is in place. Another request's cleanup
   * (below, under the same lock) may have removed bytes this one found already linked; they are
   * linked again from this request's temporary file, which is still there.
   */
  private async ensureOriginals(manager: EntityManager, files: UploadedFile[], linked: string[]): Promise<void> {
    await this.photos.lockBytes(
      manager,
      files.map((f) => f.sha256),
    );
    for (const file of files) {
      if (await this.storage.exists(this.storage.originalPath(file.sha256))) continue;
      if (await this.storage.linkOriginal(file.path, file.sha256)) linked.push(file.sha256);
    }
  }

  /** After a failed or lost transaction, removes originals it stored that no committed photo uses. */
  private async forgetUnreferenced(sha256s: string[]): Promise<void> {
    for (const sha of sha256s) {
      try {
        await this.dataSource.transaction(async (manager) => {
          await this.photos.lockBytes(manager, [sha]);
          if (!(await this.photos.bytesReferenced(manager, sha))) await this.storage.removeAll(sha);
        });
      } catch (e) {
        this.logger.warn(`could not remove unreferenced original ${sha}: ${(e as Error).message}`);
      }
    }
  }
}
