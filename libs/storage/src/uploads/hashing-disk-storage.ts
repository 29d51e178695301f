import { createHash } from 'node:crypto';
import { FileHandle, open } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { PhotoStorage, removeQuietly } from '../photo-storage.service';

/** How much of each end of a file is kept in memory for type sniffing and integrity checks. */
export const EDGE_BYTES = 64 * 1024;
/** How much of a file is gathered in memory, at most, before it is written out. */
const WRITE_BYTES = 256 * 1024;

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

/**
 * Buffers of WRITE_BYTES for HashingFileWriter, reused from one upload to the next (at most
 * SPARE_BUFFERS kept). Network chunks are copied in and so die young instead of waiting in
 * memory for a write; a buffer goes back only when no write from it can still be running.
 */
const SPARE_BUFFERS = 64;
const spareBuffers: Buffer[] = [];

/**
 * Writes a stream to a new file, hashing it and keeping its first and last bytes on the way,
 * without holding the rest: chunks are copied into a WRITE_BYTES buffer that is written out
 * when full, so a 3 MB photo costs a dozen writes rather than one per network chunk (each
 * write is a hand-off to libuv's thread pool). The file is fsynced and closed before `finish`.
 */
class HashingFileWriter extends Writable {
  readonly hash = createHash('sha256');
  size = 0;
  headInfo?: Promise<unknown>;
  private handle?: FileHandle;
  private headParts: Buffer[] = [];
  private headSize = 0;
  private tailParts: Buffer[] = [];
  private tailSize = 0;
  private buffer?: Buffer;
  private filled = 0;
  private writing = false;

  constructor(
    private readonly path: string,
    private readonly onHead?: (head: Buffer) => Promise<unknown>,
  ) {
    super();
  }

  override _construct(done: (error?: Error | null) => void): void {
    open(this.path, 'wx', 0o640).then(
      (handle) => {
        this.handle = handle;
        this.buffer = spareBuffers.pop() ?? Buffer.allocUnsafeSlow(WRITE_BYTES);
        done();
      },
      (e: Error) => done(e),
    );
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
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
    const copied = this.fill(chunk, 0);
    if (copied === chunk.length) return done();
    this.writeRest(chunk, copied).then(() => done(), done);
  }

  override _final(done: (error?: Error | null) => void): void {
    this.flush()
      .then(() => this.handle!.sync())
      .then(() => this.closeFile())
      .then(() => done(), done);
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.closeFile().then(
      () => done(error),
      () => done(error),
    );
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

  /** Copies what fits of `chunk` from `offset` into the buffer; returns the offset reached. */
  private fill(chunk: Buffer, offset: number): number {
    const copied = chunk.copy(this.buffer!, this.filled, offset);
    this.filled += copied;
    return offset + copied;
  }

  private async writeRest(chunk: Buffer, offset: number): Promise<void> {
    while (offset < chunk.length) {
      await this.flush();
      offset = this.fill(chunk, offset);
    }
  }

  /** Writes out what the buffer holds (a short write is rare but legal: the rest follows). */
  private async flush(): Promise<void> {
    this.writing = true;
    for (let at = 0; at < this.filled;) {
      const { bytesWritten } = await this.handle!.write(this.buffer!, at, this.filled - at);
      at += bytesWritten;
    }
    this.filled = 0;
    this.writing = false;
  }

  private async closeFile(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    // After a failed write the buffer may still be read by it: it is then left to the collector.
    if (this.buffer && !this.writing && spareBuffers.length < SPARE_BUFFERS) spareBuffers.push(this.buffer);
    this.buffer = undefined;
    await handle?.close();
  }
}

/**
 * A multer storage engine that streams each file into the storage volume's temporary folder,
 * fsynced, computing its SHA-256 on the way. Nothing is held in memory but the two edges and
 * at most WRITE_BYTES not yet written; the caller checks the file and then moves it to its
 * content address (or removes it). A file whose stream breaks (client abort, size limit) is
 * removed here at once.
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
    const writer = new HashingFileWriter(path, this.options.onHead);
    pipeline(file.stream, writer).then(
      () => {
        writer.headComplete();
        callback(null, {
          path,
          size: writer.size,
          sha256: writer.hash.digest('hex'),
          head: writer.head(),
          tail: writer.tail(),
          headInfo: writer.headInfo,
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
