import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class EvotingQueryDto {
  @ApiPropertyOptional({ description: 'only this region (exact name, e.g. "город Москва")' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  region?: string;
}

export class LineRefDto {
  @ApiProperty({ example: 17 }) n: number;
  @ApiProperty({ example: 'er' }) key: string;
}

export class LineShareDto extends LineRefDto {
  @ApiProperty() votes: number;
  @ApiProperty({ description: 'percent of valid ballots (the template’s `valid` sum), 4 decimals' }) share: number;
}

/** The totals of one voting mode (paper precincts, e-voting units, or both) in one area. */
export class ModeSideDto {
  @ApiProperty({ description: 'precincts (or e-voting units) counted' }) precincts: number;
  @ApiProperty({ description: 'valid ballots' }) valid: number;
  @ApiProperty({ type: [LineShareDto], description: 'every candidate line, in template order' }) lines: LineShareDto[];
  @ApiProperty({ type: LineRefDto, nullable: true, description: 'most votes; ties go to the earlier line' })
  leader: LineRefDto | null;
}

export class ModeComparisonDto {
  @ApiProperty() paper: ModeSideDto;
  @ApiProperty() evoting: ModeSideDto;
  @ApiProperty() combined: ModeSideDto;
  @ApiProperty({ description: 'the combined leader differs from the paper leader' }) reversed: boolean;
  @ApiProperty({
    type: LineRefDto,
    nullable: true,
    description:
      'the line the paper leader is measured against: the combined leader when reversed, else the paper runner-up',
  })
  challenger: LineRefDto | null;
  @ApiProperty({
    nullable: true,
    description:
      'percentage points: (paper leader − challenger) combined minus the same margin on paper; negative = the e-voting units moved the area away from the paper leader; reversed areas have swing below −(paper margin)',
  })
  swing: number | null;
}

export class ObservedComparisonDto extends ModeComparisonDto {
  @ApiProperty({ description: 'the official numbers of the same precincts, for a like-for-like comparison' })
  official: ModeComparisonDto;
}

export class EvotingRegionDto extends ModeComparisonDto {
  @ApiProperty() region: string;
  @ApiProperty({
    type: ObservedComparisonDto,
    nullable: true,
    description: 'from reviewed observer protocols (the newest per precinct); null when the area has none',
  })
  observed: ObservedComparisonDto | null;
}

export class EvotingDistrictDto extends EvotingRegionDto {
  @ApiProperty({ nullable: true, example: 'ОИК №196' }) district: string | null;
}

export class EvotingReportDto {
  @ApiProperty({ description: 'the official version the figures come from' }) importId: string;
  @ApiProperty() version: number;
  @ApiProperty({ type: [EvotingDistrictDto] }) districts: EvotingDistrictDto[];
  @ApiProperty({ type: [EvotingRegionDto] }) regions: EvotingRegionDto[];
}
