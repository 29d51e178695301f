import { ElectionsModule } from '@app/elections';
import { OfficialResultsModule } from '@app/official-results';
import { Module } from '@nestjs/common';
import { OfficialImportsController } from './official-imports.controller';

/** HTTP routes of official-results. */
@Module({ imports: [OfficialResultsModule, ElectionsModule], controllers: [OfficialImportsController] })
export class OfficialResultsHttpModule {}
