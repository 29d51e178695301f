import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MATCH_STATUSES, MatchStatus } from '../matches/matches.repository';
import { DiscrepancyLineDto, DiscrepancyPhotoDto } from './discrepancies.dto';

export class PrecinctDiscrepancyLineDto extends DiscrepancyLineDto {
  @ApiProperty({ description: 'the line’s label in the protocol template' }) label: string;
}

export class PrecinctRefDto {
  @ApiProperty() id: number;
  @ApiProperty() region: string;
  @ApiPropertyOptional({ nullable: true }) district: string | null;
  @ApiPropertyOptional({ nullable: true }) territory: string | null;
  @ApiProperty() number: string;
}

export class PrecinctDiscrepancyDto {
  @ApiProperty({ type: PrecinctRefDto }) precinct: PrecinctRefDto;
  @ApiProperty({ enum: MATCH_STATUSES }) status: MatchStatus;
  @ApiProperty({ type: [String] }) reportIds: string[];
  @ApiProperty({ type: [PrecinctDiscrepancyLineDto], description: 'every line of the template, in order' })
  lines: PrecinctDiscrepancyLineDto[];
  @ApiProperty() effect: number;
  @ApiProperty({
    type: [DiscrepancyPhotoDto],
    description: 'the reports’ photos; empty unless the precinct is on the public list',
  })
  photos: DiscrepancyPhotoDto[];
}
