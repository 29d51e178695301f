import { ProtocolTemplate, ProtocolValues, REJECT_REASONS, RejectReason, ReportStatus } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { REVIEW_KINDS, ReviewKind } from './review-task';

export class ClaimQueryDto {
  @ApiPropertyOptional({ enum: REVIEW_KINDS, description: 'Only this kind of task; by default transcriptions first' })
  @IsOptional()
  @IsIn(REVIEW_KINDS)
  kind?: ReviewKind;
}

export class RejectDto {
  @ApiProperty({ enum: REJECT_REASONS }) @IsIn(REJECT_REASONS) reason: RejectReason;
  @ApiPropertyOptional({ description: 'Required when the reason is "other"' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  text?: string;
}

export class SubmitDto {
  @ApiPropertyOptional({ example: { '1': 1515, '2': 1500 }, description: 'Every line of the template' })
  @IsOptional()
  @IsObject()
  values?: ProtocolValues;

  @ApiPropertyOptional({ description: 'The protocol itself breaks the listed error ratios' })
  @IsOptional()
  @IsBoolean()
  confirmViolations?: boolean;

  @ApiPropertyOptional({ type: RejectDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RejectDto)
  reject?: RejectDto;
}

export class AuditQueryDto {
  @ApiProperty() @IsUUID() reportId: string;
}

export class RatioViolationDto {
  @ApiProperty() id: string;
  @ApiProperty() expr: string;
  @ApiProperty({ enum: ['error', 'warning'] }) severity: 'error' | 'warning';
}

export class PhotoRefDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: '/api/photos/…' }) url: string;
  @ApiPropertyOptional({ type: Number, nullable: true }) width: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) height: number | null;
}

export class TranscriptionDto {
  @ApiProperty() moderatorId: string;
  @ApiProperty({ description: 'Empty when the moderator rejected the photo' }) values: ProtocolValues;
  @ApiPropertyOptional({ type: RejectDto }) reject?: { reason: RejectReason; text?: string };
}

export class TranscriptionsDto {
  @ApiProperty({ type: [TranscriptionDto] }) transcriptions: TranscriptionDto[];
  @ApiProperty({ type: [Number] }) differingLines: number[];
}

export class ReviewTaskDto {
  @ApiProperty() taskId: string;
  @ApiProperty() reportId: string;
  @ApiProperty({ enum: REVIEW_KINDS }) kind: ReviewKind;
  @ApiProperty({ type: [PhotoRefDto] }) photos: PhotoRefDto[];
  @ApiProperty() template: ProtocolTemplate;
  @ApiProperty() lockExpiresAt: string;
  @ApiPropertyOptional({ type: [TranscriptionDto] }) transcriptions?: TranscriptionDto[];
  @ApiPropertyOptional({ type: [Number] }) differingLines?: number[];
}

export class LockDto {
  @ApiProperty() lockExpiresAt: string;
}

export class SubmitResultDto {
  @ApiProperty() reportStatus: ReportStatus;
  @ApiProperty({ type: [RatioViolationDto], description: 'Confirmed error ratios and warnings' })
  ratioViolations: RatioViolationDto[];
}

export class ModeratorStatsDto {
  @ApiProperty() moderatorId: string;
  @ApiProperty() email: string;
  @ApiProperty() tasksDone: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Share (0–1) of decided reports where they agreed with the final outcome',
  })
  agreementRate: number | null;
  @ApiProperty({ type: Number, nullable: true }) medianSeconds: number | null;
}

export class ModeratorStatsPageDto {
  @ApiProperty({ type: [ModeratorStatsDto] }) items: ModeratorStatsDto[];
}
