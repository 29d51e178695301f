export * from './audit-hash';
export * from './audit.module';
export * from './audit.service';
export * from './audit-verifier';
