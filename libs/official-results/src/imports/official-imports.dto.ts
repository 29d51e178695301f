import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class ImportAcceptedDto {
  @ApiProperty() importId: string;
}

export class RowErrorDto {
  @ApiProperty({ description: 'file line number, the header being 1' }) row: number;
  @ApiProperty() message: string;
}

export class ImportStatusDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] }) status: 'queued' | 'running' | 'done' | 'failed';
  @ApiPropertyOptional({ nullable: true, description: 'rows in the file, known once it has been read' })
  rowsTotal: number | null;
  @ApiProperty() rowsDone: number;
  @ApiProperty({ type: [RowErrorDto] }) errors: RowErrorDto[];
  @ApiProperty() createdAt: Date;
  @ApiPropertyOptional({ nullable: true }) fileName: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'version of the official results, once done' })
  version: number | null;
  @ApiPropertyOptional({ description: 'rows that break a control ratio (imported and flagged)' })
  flaggedRows?: number;
}

export class ImportListDto {
  @ApiProperty({ type: [ImportStatusDto] }) items: ImportStatusDto[];
}

export class ChangesQueryDto {
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) page?: number;
  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  pageSize?: number;
}

export class ChangedLineDto {
  @ApiProperty() n: number;
  @ApiProperty() key: string;
  @ApiPropertyOptional({ nullable: true }) previous: number | null;
  @ApiPropertyOptional({ nullable: true }) current: number | null;
}

export class ChangedPrecinctDto {
  @ApiProperty() precinct: { id: number; region: string; district: string | null; number: string };
  @ApiProperty({ type: [ChangedLineDto], description: 'the lines that differ' }) lines: ChangedLineDto[];
  @ApiProperty({ description: 'every line of the previous version, keyed by line number' })
  previous: Record<string, number>;
  @ApiProperty({ description: 'every line of this version, keyed by line number' }) current: Record<string, number>;
}

export class ImportChangesDto {
  @ApiProperty() importId: string;
  @ApiPropertyOptional({ nullable: true }) version: number | null;
  @ApiPropertyOptional({ nullable: true }) previousImportId: string | null;
  @ApiPropertyOptional({ nullable: true }) previousVersion: number | null;
  @ApiProperty({ type: [ChangedPrecinctDto] }) items: ChangedPrecinctDto[];
  @ApiProperty() total: number;
}
