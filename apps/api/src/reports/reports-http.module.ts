import { ReportsModule } from '@app/reports';
import { Module } from '@nestjs/common';
import { PhotosController } from './photos.controller';
import { ReportsController } from './reports.controller';

/** HTTP routes of reports. */
@Module({ imports: [ReportsModule], controllers: [ReportsController, PhotosController] })
export class ReportsHttpModule {}
