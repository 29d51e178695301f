import { AuditModule } from '@app/audit';
import { AppConfigModule, loggingModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { ElectionsModule } from '@app/elections';
import { MatchingModule } from '@app/matching';
import { OfficialResultsModule } from '@app/official-results';
import { JobRegistry, QueueModule, QueueName, ReconcilerService } from '@app/queue';
import { ReportsModule } from '@app/reports';
import { ReviewModule } from '@app/review';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { queueProcessors } from './queue-processor';

// Read here because processor options are static; the checked config says the same.
const photoConcurrency = Number(process.env.PHOTO_CONCURRENCY) || 2;

/**
 * The queue worker: BullMQ processors over the libs' services. Concurrency 2 for photos, since
 * sharp runs one libvips thread here and two images in flight double throughput.
 */
@Module({
  imports: [
    AppConfigModule,
    loggingModule,
    DatabaseModule,
    QueueModule,
    AuditModule,
    DiscoveryModule,
    ElectionsModule,
    ReportsModule,
    ReviewModule,
    OfficialResultsModule,
    MatchingModule,
  ],
  providers: [
    JobRegistry,
    ReconcilerService,
    // Queue → concurrency. The review queue is absent: moderators take its jobs through the API.
    ...queueProcessors({
      [QueueName.Photos]: photoConcurrency,
      [QueueName.OfficialResults]: 1,
      [QueueName.Matching]: 1,
    }),
  ],
})
export class WorkerModule {}
