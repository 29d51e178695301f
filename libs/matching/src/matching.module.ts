import { ElectionsModule } from '@app/elections';
import { Module } from '@nestjs/common';
import { DiscrepanciesRepository } from './discrepancies/discrepancies.repository';
import { DiscrepanciesService } from './discrepancies/discrepancies.service';
import { PrecinctDiscrepancyService } from './discrepancies/precinct-discrepancy.service';
import { MatchesRepository } from './matches/matches.repository';
import { MatchingService } from './matches/matching.service';

/** Set-based matching of reviewed protocols against the latest official results. */
@Module({
  imports: [ElectionsModule],
  providers: [
    MatchesRepository,
    MatchingService,
    DiscrepanciesRepository,
    DiscrepanciesService,
    PrecinctDiscrepancyService,
  ],
  exports: [MatchingService, MatchesRepository, DiscrepanciesService, PrecinctDiscrepancyService],
})
export class MatchingModule {}
