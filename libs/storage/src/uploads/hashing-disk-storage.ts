import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { PhotoStorage, removeQuietly } from '../photo-storage.service';

/** How much of each end of a file is kept in memory for type sniffing and integrity checks. */
export const EDGE_BYTES = 64 * 1024;

/** What the storage engine learnt about one file while it streamed to disk. */
export interface StreamedFile {
  /** Temporary path under the storage volume (never derived from the client's name). */
  path: string;
  size: number;
  sha256: string;
  /** The first EDGE_BYTES bytes (fewer for a smaller file). */
  head: Buffer;
  /** The last EDGE_BYTES bytes (fewer for a smaller file). */
  tail: Buffer;
  /** What the engine's `onHead` made of `head`, started as soon as the head was complete. */
  headInfo?: Promise<unknown>;
}

export interface HashingDiskStorageOptions {
  /**
   * Called once per file with its first EDGE_BYTES bytes (the whole file when smaller) as soon as
   * they have arrived, so that work on them runs while the rest streams in. Must not reject.
   */
  onHead?: (head: Buffer) => Promise<unknown>;
}

export type UploadedFile = Express.Multer.File & StreamedFile;

/** Hashes a stream as it passes and keeps its first and last bytes, without holding the rest. */
class Inspecting extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  private headParts: Buffer[] = [];
  private headSize = 0;
  private tailParts: Buffer[] = [];
  private tailSize = 0;
  headInfo?: Promise<unknown>;

  constructor(private readonly onHead?: (head: Buffer) => Promise<unknown>) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    if (this.headSize < EDGE_BYTES) {
      const part = chunk.subarray(0, EDGE_BYTES - this.headSize);
      this.headParts.push(part);
      this.headSize += part.length;
      if (this.headSize === EDGE_BYTES) this.headComplete();
    }
    this.tailParts.push(chunk);
    this.tailSize += chunk.length;
    while (this.tailParts.length > 1 && this.tailSize - this.tailParts[0].length >= EDGE_BYTES) {
      this.tailSize -= this.tailParts.shift()!.length;
    }
    done(null, chunk);
  }

  /** Hands the complete head to `onHead` (once). */
  headComplete(): void {
    if (this.onHead && !this.headInfo) this.headInfo = this.onHead(this.head());
  }

  head(): Buffer {
    return Buffer.concat(this.headParts);
  }

  tail(): Buffer {
    const all = Buffer.concat(this.tailParts);
    return Buffer.from(all.subarray(Math.max(0, all.length - EDGE_BYTES)));
  }
}

/**
 * A multer storage engine that streams each file into the storage volume's temporary folder,
 * fsynced, computing its SHA-256 on the way. Nothing is held in memory but the two edges; the
 * caller checks the file and then moves it to its content address (or removes it). A file
 * whose stream breaks (client abort, size limit) is removed here at once.
 */
export class HashingDiskStorage implements StorageEngine {
  constructor(
    private readonly storage: PhotoStorage,
    private readonly options: HashingDiskStorageOptions = {},
  ) {}

  _handleFile(
    _req: Request,
    file: Express.Multer.File,
    callback: (error?: unknown, info?: Partial<UploadedFile>) => void,
  ): void {
    const path = this.storage.tempPath();
    const inspecting = new Inspecting(this.options.onHead);
    const out = createWriteStream(path, { flags: 'wx', mode: 0o640, flush: true });
    pipeline(file.stream, inspecting, out).then(
      () => {
        inspecting.headComplete();
        callback(null, {
          path,
          size: inspecting.size,
          sha256: inspecting.hash.digest('hex'),
          head: inspecting.head(),
          tail: inspecting.tail(),
          headInfo: inspecting.headInfo,
        });
      },
      (e: Error) => {
        void removeQuietly(path).finally(() => callback(e));
      },
    );
  }

  _removeFile(_req: Request, file: Express.Multer.File, callback: (error: Error | null) => void): void {
    if (!file.path) return callback(null);
    removeQuietly(file.path).then(
      () => callback(null),
      (e: Error) => callback(e),
    );
  }
}
