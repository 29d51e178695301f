import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class PrecinctQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 500) region?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 50) number?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 500) district?: string;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) page?: number;
  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize?: number;
}

export class UpdatePrecinctDto {
  @ApiProperty() @IsBoolean() evoting: boolean;
}

export class PrecinctDto {
  @ApiProperty() id: number;
  @ApiProperty() region: string;
  @ApiPropertyOptional({ nullable: true }) district: string | null;
  @ApiPropertyOptional({ nullable: true }) territory: string | null;
  @ApiProperty({ example: '592' }) number: string;
  @ApiProperty() evoting: boolean;
}

export class PrecinctPageDto {
  @ApiProperty({ type: [PrecinctDto] }) items: PrecinctDto[];
  @ApiProperty() total: number;
}

export class PrecinctImportResultDto {
  @ApiProperty({ description: 'rows in the file' }) total: number;
  @ApiProperty() inserted: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
}
