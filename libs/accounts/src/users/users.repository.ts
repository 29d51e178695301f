import { UserEntity } from '@app/database';
import { Role } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuthUser } from '../auth/auth-user';

@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  /** The fields a request's caller needs, in one plain query: the guard runs it on every request. */
  async findAuthUser(id: string): Promise<AuthUser | undefined> {
    const [row] = await this.users.manager.query(
      `SELECT id, email, role, display_name AS "displayName" FROM users WHERE id = $1`,
      [id],
    );
    return row;
  }

  /** E-mail addresses are unique without regard to case. */
  findByEmailWithHash(email: string): Promise<UserEntity | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
  }

  async existsByEmail(email: string): Promise<boolean> {
    return this.users.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getExists();
  }

  async create(
    input: { email: string; passwordHash: string; role: Role; displayName?: string | null; inviteId?: string | null },
    manager: EntityManager = this.users.manager,
  ): Promise<UserEntity> {
    const user = manager.create(UserEntity, {
      email: input.email.trim(),
      passwordHash: input.passwordHash,
      role: input.role,
      displayName: input.displayName ?? null,
      inviteId: input.inviteId ?? null,
    });
    return manager.save(user);
  }

  list(role?: Role): Promise<UserEntity[]> {
    return this.users.find({ where: role ? { role } : {}, order: { createdAt: 'ASC' } });
  }
}
