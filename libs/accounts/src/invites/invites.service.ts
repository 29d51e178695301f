import { ElectionEntity } from '@app/database';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { CreateInviteDto, InviteCodeDto, InviteDto } from './invites.dto';
import { InvitesRepository } from './invites.repository';

@Injectable()
export class InvitesService {
  constructor(
    private readonly invites: InvitesRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async create(dto: CreateInviteDto, creator: AuthUser): Promise<InviteCodeDto> {
    let electionId: string | null = null;
    if (dto.electionSlug) {
      const election = await this.dataSource.manager.findOneBy(ElectionEntity, { slug: dto.electionSlug });
      if (!election) throw new NotFoundException(`No election "${dto.electionSlug}"`);
      electionId = election.id;
    }
    const expiresAt = dto.expiresAt ? new Date(dto.expiresAt) : null;
    if (expiresAt && expiresAt <= new Date()) throw new BadRequestException('expiresAt must be in the future');
    // 15 random bytes → 20 URL-safe characters: short enough to dictate, too many to guess.
    const code = randomBytes(15).toString('base64url');
    await this.invites.create({
      code,
      role: dto.role,
      electionId,
      maxUses: dto.maxUses ?? 1,
      expiresAt,
      createdBy: creator.id,
    });
    return { code };
  }

  async list(): Promise<InviteDto[]> {
    return (await this.invites.list()).map(({ id, code, role, electionId, maxUses, uses, expiresAt, createdAt }) => ({
      id,
      code,
      role,
      electionId,
      maxUses,
      uses,
      expiresAt,
      createdAt,
    }));
  }
}
