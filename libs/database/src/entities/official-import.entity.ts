import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';

export interface RowError {
  row: number;
  message: string;
}

@Entity('official_imports')
export class OfficialImportEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'election_id' })
  electionId: string;

  /** Set when the import succeeds: 1, 2, … per election. */
  @Column('int', { nullable: true })
  version: number | null;

  @Column('text')
  status: ImportStatus;

  @Column('text', { name: 'file_name', nullable: true })
  fileName: string | null;

  @Column('text', { name: 'file_path', nullable: true })
  filePath: string | null;

  @Column('int', { name: 'rows_total', nullable: true })
  rowsTotal: number | null;

  @Column('int', { name: 'rows_done' })
  rowsDone: number;

  @Column('jsonb')
  errors: RowError[];

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt: Date | null;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}
