import { Module } from '@nestjs/common';

/** Versioned official results: imports through a staging table, changes between versions. */
@Module({})
export class OfficialResultsModule {}
