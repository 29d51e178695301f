export * from './discrepancies/discrepancies-csv';
export * from './discrepancies/discrepancies.dto';
export * from './discrepancies/discrepancies.service';
export * from './discrepancies/precinct-discrepancy.dto';
export * from './discrepancies/precinct-discrepancy.service';
export * from './matches/matches.repository';
export * from './matches/matching.service';
export * from './matching.module';
