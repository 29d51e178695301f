import { ProtocolTemplate } from '@app/domain';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('elections')
export class ElectionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  slug: string;

  @Column('text')
  name: string;

  @Column('date', { nullable: true })
  date: string | null;

  @Column('text', { name: 'template_preset', nullable: true })
  templatePreset: string | null;

  @Column('jsonb')
  template: ProtocolTemplate;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
