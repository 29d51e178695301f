import { Module } from '@nestjs/common';
import { PhotoStorage } from './photo-storage.service';

/** Content-addressed photo storage under STORAGE_DIR, shared by every api and worker process. */
@Module({ providers: [PhotoStorage], exports: [PhotoStorage] })
export class StorageModule {}
