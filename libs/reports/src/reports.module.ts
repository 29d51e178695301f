import { Module } from '@nestjs/common';

/** Observer reports: streaming upload, idempotent acceptance, photo processing. */
@Module({})
export class ReportsModule {}
