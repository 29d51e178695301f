import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('official_results')
export class OfficialResultEntity {
  @PrimaryColumn('uuid', { name: 'import_id' })
  importId: string;

  @PrimaryColumn('int', { name: 'precinct_id' })
  precinctId: number;

  @Column('int', { name: 'row_number' })
  rowNumber: number;

  /** Line values in template line order. */
  @Column('int', { name: 'line_values', array: true })
  lineValues: number[];

  @Column('text', { name: 'violated_ratios', array: true })
  violatedRatios: string[];
}
