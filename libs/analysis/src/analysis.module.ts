import { Module } from '@nestjs/common';

/** E-voting reversal and election forensics from the official results. */
@Module({})
export class AnalysisModule {}
