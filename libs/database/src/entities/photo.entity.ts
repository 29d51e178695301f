import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type PhotoStatus = 'pending' | 'processed' | 'failed';

@Entity('photos')
export class PhotoEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'report_id' })
  reportId: string;

  @Column('smallint')
  position: number;

  /** SHA-256 of the uploaded bytes; also the original's storage key. */
  @Column('text')
  sha256: string;

  @Column('bigint', { transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  size: number;

  @Column('text')
  mime: string;

  @Column('int', { nullable: true })
  width: number | null;

  @Column('int', { nullable: true })
  height: number | null;

  @Column('text')
  status: PhotoStatus;

  @Column('text', { nullable: true })
  error: string | null;

  @Column('text', { nullable: true })
  phash: string | null;

  @Column('timestamptz', { name: 'processed_at', nullable: true })
  processedAt: Date | null;
}
