import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('precincts')
export class PrecinctEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column('uuid', { name: 'election_id' })
  electionId: string;

  @Column('text')
  region: string;

  @Column('text', { nullable: true })
  district: string | null;

  @Column('text', { nullable: true })
  territory: string | null;

  @Column('text')
  number: string;

  @Column('boolean')
  evoting: boolean;
}
