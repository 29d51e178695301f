import { ReportsModule } from '@app/reports';
import { Module } from '@nestjs/common';

/** HTTP routes of reports. */
@Module({ imports: [ReportsModule], controllers: [] })
export class ReportsHttpModule {}
