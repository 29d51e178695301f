import { OncePer, Reconcile } from '@app/queue';
import { PhotoStorage } from '@app/storage';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PhotosRepository } from './photos.repository';

/** An original this old with no photo row is no upload in flight: its request died before commit. */
export const ORPHAN_AGE_MS = 3600 * 1000;
/** A walk of every original costs a stat each: once an hour per process is plenty. */
const SWEEP_EVERY_MS = 3600 * 1000;
const BATCH = 500;

/**
 * Removes originals (and derivatives) that no photo refers to. An upload links its original
 * before its transaction, so a process that dies in between leaves bytes nobody owns. Each
 * removal happens under the same bytes lock that uploads take, after a re-check: an upload
 * that reuses the bytes either commits its row first or re-links its own copy afterwards.
 */
@Injectable()
export class OrphanOriginalsSweeper {
  private readonly logger = new Logger(OrphanOriginalsSweeper.name);
  private readonly hourly = new OncePer(SWEEP_EVERY_MS);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly photos: PhotosRepository,
    private readonly storage: PhotoStorage,
  ) {}

  @Reconcile('orphan-originals')
  async reconcile(): Promise<{ removed: number } | undefined> {
    return this.hourly.due() ? { removed: await this.sweep() } : undefined;
  }

  /** One pass over the originals older than `ORPHAN_AGE_MS` before `now`; returns how many went. */
  async sweep(now = Date.now()): Promise<number> {
    let removed = 0;
    for await (const keys of this.storage.originalsBefore(now - ORPHAN_AGE_MS, BATCH)) {
      for (const sha of await this.photos.unreferencedBytes(keys)) {
        if (await this.removeIfUnreferenced(sha)) removed++;
      }
    }
    if (removed > 0) this.logger.log(`removed ${removed} originals that no photo refers to`);
    return removed;
  }

  private removeIfUnreferenced(sha256: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await this.photos.lockBytes(manager, [sha256]);
      if (await this.photos.bytesReferenced(manager, sha256)) return false;
      await this.storage.removeAll(sha256);
      return true;
    });
  }
}
