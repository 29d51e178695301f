export * from './analysis.module';
