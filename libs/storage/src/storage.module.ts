import { Module } from '@nestjs/common';

/** Content-addressed photo storage under STORAGE_DIR, shared by every api and worker process. */
@Module({})
export class StorageModule {}
