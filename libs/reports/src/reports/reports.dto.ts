import { ProtocolValues, ReportStatus } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class SubmitResultDto {
  @ApiProperty() id: string;
  @ApiProperty() status: ReportStatus;
  /** True when this request created the report (202); false for a repeat (200). */
  created: boolean;
}

export class ReportPhotoSimilarityDto {
  @ApiProperty() photoId: string;
  @ApiProperty() reportId: string;
  @ApiProperty({ enum: ['other_precinct', 'same_precinct'] }) kind: 'other_precinct' | 'same_precinct';
  @ApiProperty({ description: 'perceptual-hash distance in bits of 256' }) distance: number;
}

export class ReportPhotoDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: '/api/photos/…' }) url: string;
  @ApiProperty({ nullable: true }) width: number | null;
  @ApiProperty({ nullable: true }) height: number | null;
  @ApiProperty({ description: 'SHA-256 of the uploaded bytes' }) sha256: string;
  @ApiProperty({ enum: ['pending', 'processed', 'failed'] }) status: string;
  @ApiPropertyOptional() error?: string;
  @ApiPropertyOptional({ type: [ReportPhotoSimilarityDto], description: 'moderators and up' })
  similar?: ReportPhotoSimilarityDto[];
}

export class ReportDto {
  @ApiProperty() id: string;
  @ApiProperty() status: ReportStatus;
  @ApiProperty() precinct: {
    id: number;
    region: string;
    district: string | null;
    territory: string | null;
    number: string;
  };
  @ApiProperty({ type: [ReportPhotoDto] }) photos: ReportPhotoDto[];
  @ApiProperty({ nullable: true }) values: ProtocolValues | null;
  @ApiProperty({ nullable: true }) comment: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() clientReportId: string;
  @ApiProperty() electionSlug: string;
}

export class ReportListDto {
  @ApiProperty({ type: [ReportDto] }) items: ReportDto[];
}
