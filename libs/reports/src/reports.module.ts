import { AuditModule } from '@app/audit';
import { ElectionsModule } from '@app/elections';
import { StorageModule } from '@app/storage';
import { Module } from '@nestjs/common';
import { OrphanOriginalsSweeper } from './photos/orphan-originals.sweeper';
import { PhotoAccessService } from './photos/photo-access.service';
import { PhotoInspector } from './photos/photo-inspector';
import { PhotoProcessingService } from './photos/photo-processing.service';
import { PhotosRepository } from './photos/photos.repository';
import { ReportSubmissionService } from './reports/report-submission.service';
import { ReportsQueryService } from './reports/reports-query.service';
import { ReportsRepository } from './reports/reports.repository';

/** Observer reports: streaming upload, idempotent acceptance, photo processing. */
@Module({
  imports: [AuditModule, ElectionsModule, StorageModule],
  providers: [
    PhotosRepository,
    ReportsRepository,
    PhotoInspector,
    PhotoAccessService,
    PhotoProcessingService,
    OrphanOriginalsSweeper,
    ReportSubmissionService,
    ReportsQueryService,
  ],
  exports: [
    StorageModule,
    PhotosRepository,
    PhotoAccessService,
    ReportSubmissionService,
    ReportsQueryService,
    PhotoProcessingService,
  ],
})
export class ReportsModule {}
