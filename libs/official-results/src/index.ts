export * from './imports/official-import.job';
export * from './imports/official-imports.dto';
export * from './imports/official-imports.repository';
export * from './imports/official-imports.service';
export * from './imports/orphan-import-files.sweeper';
export * from './official-results.module';
