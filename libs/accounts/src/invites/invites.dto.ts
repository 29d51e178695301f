import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export const INVITE_ROLES = ['observer', 'moderator'] as const;

export class CreateInviteDto {
  @ApiProperty({ enum: INVITE_ROLES })
  @IsIn(INVITE_ROLES, { message: 'role must be observer or moderator' })
  role: (typeof INVITE_ROLES)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/)
  electionSlug?: string;

  @ApiPropertyOptional({ default: 1, maximum: 100000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  maxUses?: number;

  @ApiPropertyOptional({ example: '2026-12-31T00:00:00Z' })
  @IsOptional()
  @IsDateString()
  expiresAt?: string;
}

export class InviteCodeDto {
  @ApiProperty() code: string;
}

export class InviteDto extends InviteCodeDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: INVITE_ROLES }) role: string;
  @ApiPropertyOptional({ nullable: true }) electionId: string | null;
  @ApiProperty() maxUses: number;
  @ApiProperty() uses: number;
  @ApiPropertyOptional({ nullable: true }) expiresAt: Date | null;
  @ApiProperty() createdAt: Date;
}
