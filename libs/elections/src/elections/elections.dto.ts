import { TEMPLATE_PRESETS } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class PrecinctColumnsDto {
  @ApiProperty() @IsString() @Length(1, 500) region: string;
  @ApiProperty() @IsString() @Length(1, 500) number: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 500) district?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 500) territory?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 500) evoting?: string;
}

export class ProtocolLineDto {
  @ApiProperty() @IsInt() @Min(1) @Max(999) n: number;
  @ApiProperty()
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,62}$/, { message: 'key must be snake_case latin' })
  key: string;
  @ApiProperty() @IsString() @Length(1, 500) label: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 500) column?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() candidate?: boolean;
}

export class ControlRatioDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,62}$/, { message: 'ratio id must be snake_case latin' })
  id: string;
  @ApiProperty({ example: 'L10 = L13 + L14' }) @IsString() @Length(1, 2000) expr: string;
  @ApiProperty({ enum: ['error', 'warning'] }) @IsIn(['error', 'warning']) severity: 'error' | 'warning';
}

export class ProtocolTemplateDto {
  @ApiProperty({ type: PrecinctColumnsDto })
  @ValidateNested()
  @Type(() => PrecinctColumnsDto)
  precinctColumns: PrecinctColumnsDto;

  @ApiProperty({ type: [ProtocolLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ProtocolLineDto)
  lines: ProtocolLineDto[];

  @ApiProperty({ type: [ControlRatioDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ControlRatioDto)
  ratios: ControlRatioDto[];

  @ApiPropertyOptional({ example: 'L1' }) @IsOptional() @IsString() @Length(1, 2000) registered?: string;
  @ApiPropertyOptional({ example: 'L3 + L4 + L5' }) @IsOptional() @IsString() @Length(1, 2000) ballotsCast?: string;
  @ApiPropertyOptional({ example: 'L10' }) @IsOptional() @IsString() @Length(1, 2000) valid?: string;
}

export class CreateElectionDto {
  @ApiProperty({ example: 'duma-2021' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'slug must be lowercase latin letters, digits and dashes' })
  slug: string;

  @ApiProperty() @IsString() @Length(1, 300) name: string;

  @ApiPropertyOptional({ example: '2021-09-19' }) @IsOptional() @IsDateString() date?: string;

  @ApiPropertyOptional({ enum: Object.keys(TEMPLATE_PRESETS) })
  @IsOptional()
  @IsIn(Object.keys(TEMPLATE_PRESETS), { message: `templatePreset must be one of: ${Object.keys(TEMPLATE_PRESETS)}` })
  templatePreset?: string;

  @ApiPropertyOptional({ type: ProtocolTemplateDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProtocolTemplateDto)
  template?: ProtocolTemplateDto;
}

export class ElectionDto {
  @ApiProperty() id: string;
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ nullable: true }) date: string | null;
  @ApiPropertyOptional({ nullable: true }) templatePreset: string | null;
  @ApiProperty({ type: ProtocolTemplateDto }) template: ProtocolTemplateDto;
  @ApiProperty() createdAt: Date;
}
