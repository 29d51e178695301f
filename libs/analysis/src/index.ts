export * from './analysis.module';
export * from './analysis-csv';
export * from './evoting/evoting.dto';
export * from './evoting/evoting.service';
export * from './forensics/forensics.dto';
export * from './forensics/forensics.service';
