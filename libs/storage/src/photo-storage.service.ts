import { APP_CONFIG, AppConfig } from '@app/config';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, ReadStream } from 'node:fs';
import { link, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** The two re-encoded images made from every original. */
export type Derivative = 'review' | 'thumb';

const SHA256 = /^[0-9a-f]{64}$/;
/** Temporary uploads older than this belong to requests that died with their process. */
const STALE_TEMP_MS = 6 * 3600 * 1000;

/**
 * Content-addressed photo storage under STORAGE_DIR: originals by the SHA-256 of their bytes,
 * derivatives by the same key, so the same bytes are stored once. Uploads land in `tmp/` on the
 * same file system and are renamed into place, which is atomic: a reader sees a whole file or
 * none. No client-supplied name ever reaches a path.
 */
@Injectable()
export class PhotoStorage implements OnModuleInit {
  private readonly logger = new Logger(PhotoStorage.name);
  readonly root: string;
  readonly tempDir: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = config.storageDir;
    this.tempDir = join(this.root, 'tmp');
    mkdirSync(this.tempDir, { recursive: true });
  }

  onModuleInit(): void {
    void this.sweepTemp().catch((e: Error) => this.logger.warn(`temp sweep failed: ${e.message}`));
  }

  /** A fresh path in the temporary folder; nothing is created. */
  tempPath(): string {
    return join(this.tempDir, `${Date.now()}-${randomBytes(12).toString('hex')}`);
  }

  originalPath(sha256: string): string {
    return join(this.root, 'originals', checkedKey(sha256).slice(0, 2), sha256);
  }

  derivativePath(sha256: string, kind: Derivative): string {
    return join(this.root, 'derived', checkedKey(sha256).slice(0, 2), `${sha256}.${kind}.webp`);
  }

  /**
   * Links a fully written (and flushed) temporary file to its content address and makes the
   * link durable. link() fails if the target exists, so an existing original is never replaced;
   * the temporary file stays (the caller removes it). Returns whether the original was new.
   */
  async linkOriginal(tempFile: string, sha256: string): Promise<boolean> {
    const target = this.originalPath(sha256);
    mkdirSync(join(target, '..'), { recursive: true });
    try {
      await link(tempFile, target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      return false;
    }
    await syncDir(join(target, '..'));
    return true;
  }

  /** Writes a derivative atomically (temporary file, then rename); rewriting it is harmless. */
  async writeDerivative(sha256: string, kind: Derivative, data: Buffer): Promise<void> {
    const target = this.derivativePath(sha256, kind);
    mkdirSync(join(target, '..'), { recursive: true });
    const temp = this.tempPath();
    const handle = await open(temp, 'w', 0o640);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  }

  async exists(path: string): Promise<boolean> {
    return stat(path).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  async size(path: string): Promise<number | undefined> {
    return stat(path).then(
      (s) => s.size,
      () => undefined,
    );
  }

  read(path: string): ReadStream {
    return createReadStream(path);
  }

  /** Removes an original and its derivatives (when no photo refers to those bytes any more). */
  async removeAll(sha256: string): Promise<void> {
    await Promise.all([
      removeQuietly(this.originalPath(sha256)),
      removeQuietly(this.derivativePath(sha256, 'review')),
      removeQuietly(this.derivativePath(sha256, 'thumb')),
    ]);
  }

  async removeTemp(path: string): Promise<void> {
    await removeQuietly(path);
  }

  /**
   * The keys of originals last modified before `before` (ms since epoch), a folder at a time,
   * in batches of at most `batch`: candidates for the orphan sweep.
   */
  async *originalsBefore(before: number, batch: number): AsyncGenerator<string[]> {
    const base = join(this.root, 'originals');
    const folders = await readdir(base).catch(() => [] as string[]);
    let keys: string[] = [];
    for (const folder of folders) {
      for (const name of await readdir(join(base, folder)).catch(() => [] as string[])) {
        if (!SHA256.test(name)) continue;
        const info = await stat(join(base, folder, name)).catch(() => undefined);
        if (!info || info.mtimeMs >= before) continue;
        keys.push(name);
        if (keys.length >= batch) {
          yield keys;
          keys = [];
        }
      }
    }
    if (keys.length > 0) yield keys;
  }

  /** Drops temporary files left by processes that died mid-upload. */
  async sweepTemp(now = Date.now()): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.tempDir)) {
      const born = Number(name.split('-')[0]);
      if (Number.isFinite(born) && now - born > STALE_TEMP_MS) {
        await removeQuietly(join(this.tempDir, name));
        removed++;
      }
    }
    return removed;
  }
}

function checkedKey(sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error(`not a SHA-256 storage key: ${sha256.slice(0, 80)}`);
  return sha256;
}

export async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
}

/** Makes a written file's bytes durable. */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a new directory entry durable (a rename or link survives a power cut only after this). */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on directories; the data itself is synced already.
  } finally {
    await handle.close();
  }
}
