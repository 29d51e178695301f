export * from './photo-storage.service';
export * from './storage.module';
export * from './uploads/hashing-disk-storage';
