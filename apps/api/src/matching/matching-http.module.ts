import { MatchingModule } from '@app/matching';
import { Module } from '@nestjs/common';
import { DiscrepanciesController } from './discrepancies.controller';

/** HTTP routes of matching: the public discrepancy list and summary. */
@Module({ imports: [MatchingModule], controllers: [DiscrepanciesController] })
export class MatchingHttpModule {}
