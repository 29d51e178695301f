import { AnalysisModule } from '@app/analysis';
import { Module } from '@nestjs/common';

/** HTTP routes of analysis. */
@Module({ imports: [AnalysisModule], controllers: [] })
export class AnalysisHttpModule {}
