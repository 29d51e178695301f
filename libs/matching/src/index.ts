export * from './matching.module';
