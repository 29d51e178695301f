export * from './imports/official-import.job';
export * from './imports/official-imports.dto';
export * from './imports/official-imports.repository';
export * from './imports/official-imports.service';
export * from './official-results.module';
