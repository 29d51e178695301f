export * from './advisory-lock';
export * from './data-source-options';
export * from './database.module';
export * from './entities';
export * from './pg-errors';
export * from './csv-staging';
export * from './migrate-cli';
