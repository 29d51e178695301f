export * from './official-results.module';
