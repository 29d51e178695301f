import { InviteEntity } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';

@Injectable()
export class InvitesRepository {
  constructor(@InjectRepository(InviteEntity) private readonly invites: Repository<InviteEntity>) {}

  create(input: Omit<InviteEntity, 'id' | 'uses' | 'createdAt'>): Promise<InviteEntity> {
    return this.invites.save(this.invites.create({ ...input, uses: 0 }));
  }

  findByCode(code: string, manager: EntityManager = this.invites.manager): Promise<InviteEntity | null> {
    return manager.findOneBy(InviteEntity, { code });
  }

  /**
   * Takes one use of a valid invite in one statement, so concurrent registrations never exceed
   * `max_uses`. Returns null when the invite is unknown, expired or used up.
   */
  async consume(code: string, manager: EntityManager): Promise<InviteEntity | null> {
    const { raw } = await manager
      .createQueryBuilder()
      .update(InviteEntity)
      .set({ uses: () => 'uses + 1' })
      .where('code = :code AND uses < max_uses AND (expires_at IS NULL OR expires_at > now())', { code })
      .returning('id')
      .execute();
    const rows = raw as Array<{ id: string }>;
    return rows.length ? manager.findOneBy(InviteEntity, { id: rows[0].id }) : null;
  }

  list(): Promise<InviteEntity[]> {
    return this.invites.find({ order: { createdAt: 'DESC' }, take: 500 });
  }
}
