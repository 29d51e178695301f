import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayNotEmpty, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { MATCH_STATUSES, MatchStatus } from '../matches/matches.repository';

export class DiscrepancyQueryDto {
  @ApiPropertyOptional({
    description: 'one status or several, comma-separated; default mismatch,conflicting_reports,official_changed',
    example: 'mismatch',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value))
  @ArrayNotEmpty()
  @IsIn(MATCH_STATUSES, { each: true, message: `status must be among ${MATCH_STATUSES.join(', ')}` })
  status?: MatchStatus[];

  @ApiPropertyOptional({ description: 'only this region (exact name)' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  region?: string;

  @ApiPropertyOptional({ description: 'only this district (exact name)' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  district?: string;

  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) page?: number;

  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize?: number;
}

export class DiscrepancyLineDto {
  @ApiProperty() n: number;
  @ApiProperty() key: string;
  @ApiPropertyOptional({ nullable: true, description: 'null when the reports disagree on this line' })
  observed: number | null;
  @ApiPropertyOptional({ nullable: true }) official: number | null;
  @ApiPropertyOptional({ nullable: true, description: 'official minus observed' }) delta: number | null;
  @ApiPropertyOptional({ description: 'official_changed: the value in the version before', nullable: true })
  previousOfficial?: number | null;
  @ApiPropertyOptional({ type: [Number], description: 'conflicting_reports: each report’s value, in reportIds order' })
  reports?: number[];
}

export class DiscrepancyPhotoDto {
  @ApiProperty() id: string;
  @ApiProperty() reportId: string;
  @ApiProperty({ description: 'review-size image, metadata removed' }) url: string;
  @ApiProperty() thumbUrl: string;
}

export class DiscrepancyPrecinctDto {
  @ApiProperty({ description: 'the precinct’s id, for its page: /api/elections/:slug/precincts/:id/discrepancy' })
  id: number;
  @ApiProperty() region: string;
  @ApiPropertyOptional({ nullable: true }) district: string | null;
  @ApiProperty() number: string;
}

export class DiscrepancyDto {
  @ApiProperty({ type: DiscrepancyPrecinctDto }) precinct: DiscrepancyPrecinctDto;
  @ApiProperty({ enum: MATCH_STATUSES }) status: MatchStatus;
  @ApiProperty({ type: [String] }) reportIds: string[];
  @ApiProperty({ type: [DiscrepancyLineDto], description: 'only the lines that differ' }) lines: DiscrepancyLineDto[];
  @ApiProperty({ description: 'votes by which the differences move the leading candidate (the sort key)' })
  effect: number;
  @ApiProperty({ type: [DiscrepancyPhotoDto], description: 'the reports’ processed photos, public' })
  photos: DiscrepancyPhotoDto[];
}

export class DiscrepancyListDto {
  @ApiProperty({ type: [DiscrepancyDto] }) items: DiscrepancyDto[];
  @ApiProperty() total: number;
}

export class SummaryLineDto {
  @ApiProperty() n: number;
  @ApiProperty() key: string;
  @ApiProperty({ description: 'official minus observed, summed over mismatch precincts' }) delta: number;
}

export class CoverageDto {
  @ApiProperty({ description: 'precincts with a reviewed report' }) observedPrecincts: number;
  @ApiProperty({ description: 'registered voters of those precincts, by the latest official version' })
  observedVoters: number;
  @ApiProperty({ description: 'precincts in the latest official version' }) officialPrecincts: number;
  @ApiProperty({ description: 'registered voters in the latest official version' }) officialVoters: number;
}

export class SummaryDto {
  @ApiProperty({ example: { match: 0, mismatch: 0, no_official: 0, conflicting_reports: 0, official_changed: 0 } })
  counts: Record<MatchStatus, number>;
  @ApiProperty({ type: [SummaryLineDto] }) lines: SummaryLineDto[];
  @ApiProperty({ type: CoverageDto }) coverage: CoverageDto;
  @ApiPropertyOptional({ nullable: true, description: 'version of the official results matched against' })
  officialVersion: number | null;
}
