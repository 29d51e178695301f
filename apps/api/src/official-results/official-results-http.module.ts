import { OfficialResultsModule } from '@app/official-results';
import { Module } from '@nestjs/common';

/** HTTP routes of official-results. */
@Module({ imports: [OfficialResultsModule], controllers: [] })
export class OfficialResultsHttpModule {}
