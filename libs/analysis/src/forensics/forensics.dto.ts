import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

export const BIN_WIDTHS = [0.1, 0.2, 0.25, 0.5, 1, 2, 5];
export const CELL_WIDTHS = [1, 2, 2.5, 5, 10];

export class ForensicsQueryDto {
  @ApiPropertyOptional({ description: 'only this region (exact name)' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  region?: string;

  @ApiPropertyOptional({ default: 1, enum: BIN_WIDTHS, description: 'histogram bin width, percentage points' })
  @IsOptional()
  @Type(() => Number)
  @IsIn(BIN_WIDTHS, { message: `binWidth must be one of ${BIN_WIDTHS.join(', ')}` })
  binWidth?: number;

  @ApiPropertyOptional({ default: 1, enum: CELL_WIDTHS, description: 'heatmap cell width, percentage points' })
  @IsOptional()
  @Type(() => Number)
  @IsIn(CELL_WIDTHS, { message: `cellWidth must be one of ${CELL_WIDTHS.join(', ')}` })
  cellWidth?: number;
}

export class HistogramBinDto {
  @ApiProperty({ description: 'lower edge of the bin, percent' }) pct: number;
  @ApiProperty({ description: 'precincts in the bin' }) count: number;
  @ApiProperty({ description: 'ballots cast in those precincts' }) ballots: number;
}

export class HeatmapDto {
  @ApiProperty({ type: [Number], description: 'cell edges in percent, one more than cells per axis: 0, 1, …, 100' })
  bins: number[];
  @ApiProperty({ description: 'cells[i][j]: precincts with turnout in cell i and leader share in cell j' })
  cells: number[][];
  @ApiProperty({ description: 'the same cells weighted by ballots cast' })
  ballots: number[][];
}

export class IntegerPercentDto {
  @ApiProperty({ description: 'precincts whose percentage is a whole number' }) observed: number;
  @ApiProperty({ description: 'how many there would be if the last digits were random' }) expected: number;
}

export class ForensicsLeaderDto {
  @ApiProperty() n: number;
  @ApiProperty() key: string;
  @ApiProperty() label: string;
  @ApiProperty() votes: number;
  @ApiProperty({ description: 'percent of valid ballots in the selection' }) share: number;
}

export class ForensicsDto {
  @ApiProperty() importId: string;
  @ApiProperty() version: number;
  @ApiProperty({ nullable: true }) region: string | null;
  @ApiProperty({ type: ForensicsLeaderDto, nullable: true, description: 'the candidate line with most votes overall' })
  leader: ForensicsLeaderDto | null;
  @ApiProperty({ description: 'polling-station precincts counted (e-voting units are left out)' }) precincts: number;
  @ApiProperty({ description: 'remote e-voting units left out' }) evotingUnitsExcluded: number;
  @ApiProperty({ description: 'precincts without voters on the list, left out of turnout' }) noRegistered: number;
  @ApiProperty() registered: number;
  @ApiProperty({ description: 'ballots cast (the template’s `ballotsCast` sum)' }) ballots: number;
  @ApiProperty() valid: number;
  @ApiProperty({ description: 'ballots cast / registered, percent' }) turnout: number;
  @ApiProperty() binWidth: number;
  @ApiProperty() cellWidth: number;
  @ApiProperty({ type: [HistogramBinDto] }) turnoutHistogram: HistogramBinDto[];
  @ApiProperty({ type: [HistogramBinDto] }) leaderShareHistogram: HistogramBinDto[];
  @ApiProperty() heatmap: HeatmapDto;
  @ApiProperty({ example: 80 }) highTurnoutThreshold: number;
  @ApiProperty({ description: 'fraction (0–1) of ballots cast in precincts with turnout above the threshold' })
  highTurnoutShare: number;
  @ApiProperty({ description: 'precincts with turnout above the threshold' }) highTurnoutPrecincts: number;
  @ApiProperty() integerPercent: { turnout: IntegerPercentDto; leaderShare: IntegerPercentDto };
}
