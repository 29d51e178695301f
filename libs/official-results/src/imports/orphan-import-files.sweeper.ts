import { APP_CONFIG, AppConfig } from '@app/config';
import { OncePer, Reconcile } from '@app/queue';
import { removeQuietly } from '@app/storage';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { IMPORTS_FOLDER, isUuid } from './official-imports.service';

/** An upload's file this old with no import row is no upload in flight: its request died before commit. */
export const ORPHAN_IMPORT_FILE_AGE_MS = 3600 * 1000;
/** A walk of the imports folder costs a stat per file: once an hour per process is plenty. */
const SWEEP_EVERY_MS = 3600 * 1000;
const PARTIAL = '.part';

/**
 * Removes uploaded official-results files that no import refers to. `accept` streams a file to
 * `<id>.part`, renames it to `<id>` and only then commits the import row, so an API that dies in
 * between leaves a partial file or a whole one without a row. Files younger than
 * `ORPHAN_IMPORT_FILE_AGE_MS` (by modification time) are left alone: they may be uploads still
 * under way. The file of every import, done or failed, stays: it is the evidence of that version.
 */
@Injectable()
export class OrphanImportFilesSweeper {
  private readonly logger = new Logger(OrphanImportFilesSweeper.name);
  private readonly folder: string;
  private readonly hourly = new OncePer(SWEEP_EVERY_MS);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.folder = join(config.storageDir, IMPORTS_FOLDER);
  }

  @Reconcile('orphan-import-files')
  async reconcile(): Promise<{ removed: number } | undefined> {
    return this.hourly.due() ? { removed: await this.sweep() } : undefined;
  }

  /** One pass over the folder's files older than the age before `now`; returns how many went. */
  async sweep(now = Date.now()): Promise<number> {
    const old: Array<{ name: string; id: string; partial: boolean }> = [];
    for (const name of await readdir(this.folder).catch(() => [] as string[])) {
      const partial = name.endsWith(PARTIAL);
      const id = partial ? name.slice(0, -PARTIAL.length) : name;
      if (!isUuid(id)) continue; // not a file `accept` writes: not ours to judge
      const info = await stat(join(this.folder, name)).catch(() => undefined);
      if (info?.isFile() && info.mtimeMs < now - ORPHAN_IMPORT_FILE_AGE_MS) old.push({ name, id, partial });
    }
    if (old.length === 0) return 0;
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id::text FROM official_imports WHERE id = ANY($1::uuid[])`,
      [[...new Set(old.map((f) => f.id))]],
    );
    const imported = new Set(rows.map((r) => r.id));
    // A `.part` file is never read, with or without a row (its import's file is the renamed one).
    const orphans = old.filter((f) => f.partial || !imported.has(f.id));
    for (const { name } of orphans) await removeQuietly(join(this.folder, name));
    if (orphans.length > 0) this.logger.log(`removed ${orphans.length} uploaded files that no import refers to`);
    return orphans.length;
  }
}
