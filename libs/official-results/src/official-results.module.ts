import { ElectionsModule } from '@app/elections';
import { Module } from '@nestjs/common';
import { OfficialImportJob } from './imports/official-import.job';
import { OfficialImportsRepository } from './imports/official-imports.repository';
import { OfficialImportsService } from './imports/official-imports.service';
import { OrphanImportFilesSweeper } from './imports/orphan-import-files.sweeper';

/** Versioned official results: imports through a staging table, changes between versions. */
@Module({
  imports: [ElectionsModule],
  providers: [OfficialImportsRepository, OfficialImportsService, OfficialImportJob, OrphanImportFilesSweeper],
  exports: [OfficialImportsService, OfficialImportsRepository],
})
export class OfficialResultsModule {}
