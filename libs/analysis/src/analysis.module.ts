import { ElectionsModule } from '@app/elections';
import { Module } from '@nestjs/common';
import { AnalysisSourceService } from './common/analysis-source.service';
import { OfficialVersionsRepository } from './common/official-versions.repository';
import { EvotingRepository } from './evoting/evoting.repository';
import { EvotingService } from './evoting/evoting.service';
import { ForensicsRepository } from './forensics/forensics.repository';
import { ForensicsService } from './forensics/forensics.service';

/** E-voting reversal and election forensics from the official results. */
@Module({
  imports: [ElectionsModule],
  providers: [
    OfficialVersionsRepository,
    AnalysisSourceService,
    EvotingRepository,
    EvotingService,
    ForensicsRepository,
    ForensicsService,
  ],
  exports: [EvotingService, ForensicsService],
})
export class AnalysisModule {}
