import { AuditService } from '@app/audit';
import { APP_CONFIG, AppConfig } from '@app/config';
import {
  job as jobRequest,
  JobName,
  OnJob,
  OutboxRelay,
  OutboxService,
  QueueName,
  Reconcile,
  requeueIfLost,
  reviewJobsFor,
} from '@app/queue';
import { PhotoStorage } from '@app/storage';
import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { ReportsRepository } from '../reports/reports.repository';
import { photoJobId } from '../reports/report-submission.service';
import { Derivatives, renderDerivatives } from './photo-transforms';
import { PhotosRepository } from './photos.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A pending photo whose job is not in Redis after this long was lost there (flush, failover). */
const LOST_AFTER_SECONDS = 60;
const RECONCILE_BATCH = 500;

/**
 * Processes one uploaded photo (derivatives, dimensions, perceptual hash, look-alike flags)
 * and, when the last photo of a report settles, sends the report to review. Every step is
 * idempotent: a photo is marked processed once (`status = 'pending'` guard), derivatives are
 * content-addressed and rewritten harmlessly, and the report's status moves once.
 */
@Injectable()
export class PhotoProcessingService {
  private readonly logger = new Logger(PhotoProcessingService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly photos: PhotosRepository,
    private readonly reports: ReportsRepository,
    private readonly storage: PhotoStorage,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly relay: OutboxRelay,
    private readonly moduleRef: ModuleRef,
  ) {}

  @OnJob(JobName.ProcessPhoto)
  async handle(job: Job): Promise<string> {
    const { photoId } = checkedPayload(job.data);
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.process(photoId, final);
  }

  /** Processes a photo unless it is settled already; `final` marks the last retry. */
  async process(photoId: string, final = true): Promise<string> {
    const photo = await this.photos.findToProcess(photoId);
    if (!photo) return 'photo gone';
    let outcome = `photo already ${photo.status}`;
    if (photo.status === 'pending') {
      let derivatives: Derivatives | undefined;
      try {
        derivatives = await renderDerivatives(this.storage.originalPath(photo.sha256), this.config.uploadMaxPixels);
      } catch (e) {
        // A decoder error is a property of the bytes: it will not go away, so no retries.
        outcome = await this.fail(photo.id, photo.reportId, `The image could not be decoded: ${(e as Error).message}`);
      }
      if (derivatives) {
        try {
          outcome = await this.store(photo.id, photo.reportId, photo.electionId, photo.sha256, derivatives);
        } catch (e) {
          if (!final) throw e;
          outcome = await this.fail(photo.id, photo.reportId, `Processing failed: ${(e as Error).message}`);
        }
      }
    }
    await this.settle(photo.reportId);
    return outcome;
  }

  private async store(
    photoId: string,
    reportId: string,
    electionId: string,
    sha256: string,
    d: Derivatives,
  ): Promise<string> {
    await Promise.all([
      this.storage.writeDerivative(sha256, 'review', d.review),
      this.storage.writeDerivative(sha256, 'thumb', d.thumb),
    ]);
    return this.dataSource.transaction(async (manager) => {
      await this.photos.lockSimilarity(manager, electionId);
      if (!(await this.photos.markProcessed(manager, photoId, d))) return 'photo settled by another job';
      const flagged = await this.photos.flagSimilar(manager, photoId);
      await this.reports.markProcessing(manager, reportId);
      return flagged > 0 ? `processed, ${flagged} look-alike(s)` : 'processed';
    });
  }

  private async fail(photoId: string, reportId: string, error: string): Promise<string> {
    this.logger.warn(`photo ${photoId}: ${error}`);
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.photos.markFailed(manager, photoId, error))) return 'photo settled by another job';
      await this.audit.append(manager, { action: 'photo.failed', reportId, data: { photoId, error } });
      return 'failed';
    });
  }

  /** Moves the report on when none of its photos is pending; a no-op otherwise or if done. */
  async settle(reportId: string): Promise<boolean> {
    const settled = await this.dataSource.transaction(async (manager) => {
      const result = await this.reports.settle(manager, reportId);
      if (!result) return false;
      const { status, processed, failed } = result;
      // `report.received` was written by the upload itself; this entry follows it in the report's chain.
      await this.audit.append(manager, { action: 'report.processed', reportId, data: { status, processed, failed } });
      if (status === 'awaiting_review') {
        await this.outbox.add(manager, ...reviewJobsFor(reportId, this.config.reviewsRequired));
      }
      return true;
    });
    if (settled) this.relay.kick();
    return settled;
  }

  /**
   * Re-enqueues photos whose job Redis lost, and settles reports left behind by a crash between
   * a photo's commit and its report's. Jobs still waiting or running are left alone.
   */
  @Reconcile('photos')
  async reconcile(): Promise<{ requeued: number; settled: number }> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(QueueName.Photos), { strict: false });
    let requeued = 0;
    for (const photo of await this.photos.pendingBeyondOutbox(LOST_AFTER_SECONDS, RECONCILE_BATCH)) {
      const request = jobRequest(JobName.ProcessPhoto, photoJobId(photo.id), {
        photoId: photo.id,
        reportId: photo.reportId,
      });
      if (await requeueIfLost(queue, request)) requeued++;
    }
    let settled = 0;
    for (const reportId of await this.reports.unsettled(RECONCILE_BATCH)) {
      if (await this.settle(reportId)) settled++;
    }
    return { requeued, settled };
  }
}

/** Job data comes from Redis: input like any other. */
function checkedPayload(data: unknown): { photoId: string; reportId: string } {
  const { photoId, reportId } = (data ?? {}) as Record<string, unknown>;
  if (typeof photoId !== 'string' || !UUID.test(photoId) || typeof reportId !== 'string' || !UUID.test(reportId)) {
    throw new UnrecoverableError('ProcessPhoto job data must be {photoId, reportId} with UUIDs');
  }
  return { photoId, reportId };
}
