import { AnalysisModule } from '@app/analysis';
import { Module } from '@nestjs/common';
import { EvotingController } from './evoting.controller';
import { ForensicsController } from './forensics.controller';

/** HTTP routes of analysis (public: results are public documents). */
@Module({ imports: [AnalysisModule], controllers: [EvotingController, ForensicsController] })
export class AnalysisHttpModule {}
