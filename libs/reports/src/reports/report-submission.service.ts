import { AuthUser } from '@app/accounts';
import { AuditService } from '@app/audit';
import { ElectionsService, PrecinctsRepository } from '@app/elections';
import { job, JobName, OutboxRelay, OutboxService } from '@app/queue';
import { PhotoStorage, UploadedFile } from '@app/storage';
import { BadRequestException, Injectable, Logger, UnprocessableEntityException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InspectedPhoto, PhotoInspector } from '../photos/photo-inspector';
import { NewPhoto, PhotosRepository } from '../photos/photos.repository';
import { SubmitResultDto } from './reports.dto';
import { ReportsRepository } from './reports.repository';
import { clientReportIdOf, parseSubmissionFields } from './submission-fields';

export const photoJobId = (photoId: string): string => `photo-${photoId}`;

/**
 * Accepts an observer's report: checks every field and file, then in ONE transaction writes
 * the report, its photos, the audit entry and the processing jobs (outbox). The photos are
 * moved to their content address inside that transaction, before the commit, so a committed
 * report always has its files. Temporary files are removed whatever happens.
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
    const election = await this.elections.getEntity(slug);
    // A resend of an accepted report is answered before its files are looked at again.
    const earlier = await this.reports.findByClientId(observer.id, clientReportIdOf(body));
    if (earlier) return { ...earlier, created: false };
    const fields = parseSubmissionFields(body, this.elections.templateOf(election));
    if (files.length === 0) throw new BadRequestException('Attach at least one photo in the field "photos"');
    const precinct = await this.precincts.findOne(election.id, fields.precinct);
    if (!precinct) {
      const named =
        'id' in fields.precinct ? `id ${fields.precinct.id}` : `${fields.precinct.region} № ${fields.precinct.number}`;
      throw new UnprocessableEntityException(`No precinct ${named} in the election "${slug}"`);
    }
    const inspected: InspectedPhoto[] = [];
    for (const [i, file] of files.entries()) {
      inspected.push(await this.inspector.inspect(file, `photos[${i}]`));
    }
    const newPhotos: NewPhoto[] = files.map((f, i) => ({
      position: i + 1,
      sha256: f.sha256,
      size: f.size,
      mime: inspected[i].mime,
      width: inspected[i].width,
      height: inspected[i].height,
    }));
    const committed: string[] = [];
    let reportId: string | undefined;
    try {
      reportId = await this.dataSource.transaction(async (manager) => {
        const id = await this.reports.insertReceived(manager, {
          electionId: election.id,
          precinctId: precinct.id,
          observerId: observer.id,
          clientReportId: fields.clientReportId,
          values: fields.values,
          comment: fields.comment,
        });
        if (!id) return undefined;
        await this.photos.lockBytes(
          manager,
          newPhotos.map((p) => p.sha256),
        );
        for (const file of files) {
          if (await this.storage.commitOriginal(file.path, file.sha256)) committed.push(file.sha256);
        }
        const photoIds = await this.photos.insertPending(manager, id, newPhotos);
        await this.outbox.add(
          manager,
          ...photoIds.map((photoId) => job(JobName.ProcessPhoto, photoJobId(photoId), { photoId, reportId: id })),
        );
        await this.audit.append(manager, {
          action: 'report.received',
          reportId: id,
          actorId: observer.id,
          data: { precinctId: precinct.id, photos: newPhotos.map((p) => p.sha256) },
        });
        return id;
      });
    } catch (e) {
      await this.forgetUnreferenced(committed);
      throw e;
    }
    if (!reportId) {
      const twin = await this.reports.findByClientId(observer.id, fields.clientReportId);
      if (!twin) throw new Error('a concurrent report with the same clientReportId vanished');
      return { ...twin, created: false };
    }
    this.relay.kick();
    return { id: reportId, status: 'received', created: true };
  }

  /** After a failed transaction, removes originals it stored that no committed photo uses. */
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
