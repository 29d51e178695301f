import { AuthUser } from '@app/accounts';
import { AuditService } from '@app/audit';
import { ElectionsService, noSuchElection } from '@app/elections';
import { job, JobName, OutboxRelay, OutboxService } from '@app/queue';
import { PhotoStorage, UploadedFile } from '@app/storage';
import { BadRequestException, Injectable, Logger, UnprocessableEntityException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { PhotoInspector } from '../photos/photo-inspector';
import { NewPhoto, PhotosRepository } from '../photos/photos.repository';
import { SubmitResultDto } from './reports.dto';
import { Intake, NewReport, ReportsRepository } from './reports.repository';
import { clientReportIdOf, parseSubmissionFields, precinctOf } from './submission-fields';

export const photoJobId = (photoId: string): string => `photo-${photoId}`;

/** The intake query's arguments from an upload's fields, and a key that tells two such apart. */
interface IntakeArgs {
  key: string;
  clientReportId: string | null;
  precinct: { id: number } | { region: string; number: string } | null;
}

/**
 * Work on one upload that starts while its photos still stream in (see `receivePhotos`): the
 * intake query as soon as the text fields sent before the first photo are in, each photo's
 * header parse as soon as its first bytes are. Nothing here writes anything or refuses
 * anything; `submit` uses the intake only if the final fields ask the same question.
 */
export class UploadStart {
  intake?: { args: IntakeArgs; result: Promise<Intake | undefined> };

  constructor(
    private readonly begin: (args: IntakeArgs) => Promise<Intake | undefined>,
    readonly headOf: (head: Buffer) => Promise<unknown>,
  ) {}

  /** The text fields received before the first photo (later calls change nothing). */
  fieldsBeforePhotos(fields: Record<string, unknown>): void {
    if (this.intake) return;
    const args = intakeArgs(fields);
    const result = this.begin(args);
    // Awaited by `submit` when its fields ask the same; otherwise (or for a refused upload) dropped.
    result.catch(() => undefined);
    this.intake = { args, result };
  }
}

/**
 * Accepts an observer's report: checks every field and file, then in ONE transaction writes
 * the report, its photos, their processing jobs (outbox) and its `report.received` audit
 * entry. The entry opens the report's own audit chain, so concurrent uploads never wait for
 * each other on it; a resend writes no report and so no second entry. The photos are linked to
 * their content address before the commit (bytes that were there already are re-checked under
 * a lock inside the transaction), so a committed report always has its files. Temporary files
 * are removed whatever happens.
 */
@Injectable()
export class ReportSubmissionService {
  private readonly logger = new Logger(ReportSubmissionService.name);
  /** Uploads whose temporary file is gone or going already. */
  private readonly removed = new WeakSet<UploadedFile>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly elections: ElectionsService,
    private readonly reports: ReportsRepository,
    private readonly photos: PhotosRepository,
    private readonly inspector: PhotoInspector,
    private readonly storage: PhotoStorage,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly relay: OutboxRelay,
  ) {}

  /** Starts the work that can run while the upload's photos stream in; pass it to `submit`. */
  start(slug: string, observer: AuthUser): UploadStart {
    return new UploadStart(
      (args) => this.reports.intake(slug, observer.id, args.clientReportId, args.precinct),
      (head) => this.inspector.headerOf(head),
    );
  }

  async submit(
    slug: string,
    observer: AuthUser,
    body: Record<string, unknown>,
    files: UploadedFile[],
    started?: UploadStart,
  ): Promise<SubmitResultDto> {
    try {
      return await this.accept(slug, observer, body, files, started);
    } finally {
      await this.removeTemps(files);
    }
  }

  /** Removes the temporary files not removed yet (once each). */
  private async removeTemps(files: UploadedFile[]): Promise<void> {
    const left = files.filter((f) => !this.removed.has(f));
    for (const f of left) this.removed.add(f);
    await Promise.all(left.map((f) => this.storage.removeTemp(f.path)));
  }

  private async accept(
    slug: string,
    observer: AuthUser,
    body: Record<string, unknown>,
    files: UploadedFile[],
    started?: UploadStart,
  ): Promise<SubmitResultDto> {
    // Election, earlier report and precinct in one round trip, started while the photos were
    // still streaming in when the fields came first (the usual order). The answers keep their
    // order: unknown election, then a resend, then the fields.
    const args = intakeArgs(body);
    const early = started?.intake;
    const intake = await (early?.args.key === args.key
      ? early.result
      : this.reports.intake(slug, observer.id, args.clientReportId, args.precinct));
    if (!intake) throw noSuchElection(slug);
    // A resend of an accepted report is answered before its files are looked at again.
    if (intake.earlier) return { ...intake.earlier, created: false };
    const fields = parseSubmissionFields(body, this.elections.templateOf(intake.election));
    if (files.length === 0) throw new BadRequestException('Attach at least one photo in the field "photos"');
    if (intake.precinctId === undefined) {
      const named =
        'id' in fields.precinct ? `id ${fields.precinct.id}` : `${fields.precinct.region} № ${fields.precinct.number}`;
      throw new UnprocessableEntityException(`No precinct ${named} in the election "${slug}"`);
    }
    const photos = await this.inspectAll(files);
    const report: NewReport = {
      electionId: intake.election.id,
      precinctId: intake.precinctId,
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
   * Links the originals, then writes report, photos, jobs and audit entry in one transaction.
   * Returns the new report's id, or undefined when a concurrent twin with the same
   * clientReportId won.
   */
  private async store(report: NewReport, files: UploadedFile[], photos: NewPhoto[]): Promise<string | undefined> {
    // Linked before the transaction, so that it holds no connection and no lock during file
    // system work.
    const linked: string[] = [];
    let reportId: string | undefined;
    try {
      for (const file of files) {
        if (await this.storage.linkOriginal(file.path, file.sha256)) linked.push(file.sha256);
      }
      const args = this.receiveArguments(report, photos);
      if (linked.length === files.length) {
        // This request created every original. Only a request that linked an original removes
        // it again (and the hourly sweep, originals older than an hour), so none can vanish
        // before this commits: no lock, no re-check, and the statement is its own transaction.
        // The temporary files are not needed any more: they go meanwhile.
        const removing = this.removeTemps(files);
        try {
          reportId = await this.receive(this.dataSource.manager, args);
        } finally {
          await removing;
        }
      } else {
        // Some bytes were there before: another request's cleanup may remove them until this
        // commits, so they are re-checked under the bytes lock first (see `ensureOriginals`).
        reportId = await this.dataSource.transaction(async (manager) => {
          await this.ensureOriginals(manager, files, linked);
          return this.receive(manager, args);
        });
      }
    } finally {
      // After a failure, or when the twin won: originals this request linked that nothing uses.
      if (!reportId) await this.forgetUnreferenced(linked);
    }
    return reportId;
  }

  /**
   * The arguments of `report_receive` (see its migration): the report and its photos with new
   * ids, one processing job per photo and the `report.received` entry, stamped now (the moment
   * of acceptance).
   */
  private receiveArguments(report: NewReport, photos: NewPhoto[]): string[] {
    const id = randomUUID();
    const photoRows = photos.map((p) => ({ ...p, id: randomUUID() }));
    const jobs = photoRows.map((p) => job(JobName.ProcessPhoto, photoJobId(p.id), { photoId: p.id, reportId: id }));
    return [
      JSON.stringify({
        id,
        election_id: report.electionId,
        precinct_id: report.precinctId,
        observer_id: report.observerId,
        client_report_id: report.clientReportId,
        observer_values: report.values,
        comment: report.comment,
      }),
      JSON.stringify(photoRows),
      this.outbox.outboxRowsJson(jobs),
      this.audit.auditEntriesJson([
        {
          action: 'report.received',
          reportId: id,
          actorId: report.observerId,
          data: { precinctId: report.precinctId, photos: photos.map((p) => p.sha256) },
        },
      ]),
    ];
  }

  /** Runs `report_receive`: the new report's id, or undefined when a twin won. */
  private async receive(manager: EntityManager, args: string[]): Promise<string | undefined> {
    const [row] = await manager.query(`SELECT report_receive($1::jsonb, $2::jsonb, $3::jsonb, $4::jsonb) AS id`, args);
    return row.id ?? undefined;
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

function intakeArgs(fields: Record<string, unknown>): IntakeArgs {
  const clientReportId = tried(() => clientReportIdOf(fields));
  const precinct = tried(() => precinctOf(fields));
  return { key: JSON.stringify([clientReportId, precinct]), clientReportId, precinct };
}

/** The value, or null when computing it throws (a bad field, refused later in its turn). */
function tried<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}
