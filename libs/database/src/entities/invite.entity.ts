import { Role } from '@app/domain';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('invites')
export class InviteEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  code: string;

  @Column('text')
  role: Extract<Role, 'observer' | 'moderator'>;

  @Column('uuid', { name: 'election_id', nullable: true })
  electionId: string | null;

  @Column('int', { name: 'max_uses' })
  maxUses: number;

  @Column('int')
  uses: number;

  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt: Date | null;

  @Column('uuid', { name: 'created_by' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
