import { ProtocolValues, ReportStatus } from '@app/domain';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('reports')
export class ReportEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'election_id' })
  electionId: string;

  @Column('int', { name: 'precinct_id' })
  precinctId: number;

  @Column('uuid', { name: 'observer_id' })
  observerId: string;

  @Column('uuid', { name: 'client_report_id' })
  clientReportId: string;

  @Column('text')
  status: ReportStatus;

  /** The numbers as the observer read them, if given; never used as final. */
  @Column('jsonb', { name: 'observer_values', nullable: true })
  observerValues: ProtocolValues | null;

  @Column('text', { nullable: true })
  comment: string | null;

  /** Reviewed protocol values in template line order. */
  @Column('int', { name: 'final_values', array: true, nullable: true })
  finalValues: number[] | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column('timestamptz', { name: 'reviewed_at', nullable: true })
  reviewedAt: Date | null;
}
