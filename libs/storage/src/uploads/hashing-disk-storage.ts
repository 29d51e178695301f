import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { PhotoStorage, removeQuietly } from '../photo-storage.service';
import { AlignedBufferPool, DirectFile } from './direct-file';

/** How much of each end of a file is kept in memory for type sniffing and integrity checks. */
export const EDGE_BYTES = 64 * 1024;
/** How much of a file is gathered in memory, at most, before it is written out. */
const WRITE_BYTES = 512 * 1024;
/** Buffers for direct writes of WRITE_BYTES: their memory, kept once used, is what they cost. */
const DIRECT_BUFFERS = 64;
/** The buffer of an upload that finds every direct one in use: written through the page cache. */
const CACHED_WRITE_BYTES = 256 * 1024;

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
  /** False: every file through the page cache, never O_DIRECT (UPLOAD_DIRECT_IO=false). */
  directIo?: boolean;
  /** The aligned buffers files are written from: `uploadBuffers`, one pool per process, by default. */
  buffers?: AlignedBufferPool;
}

export type UploadedFile = Express.Multer.File & StreamedFile;

/**
 * Buffers of WRITE_BYTES for HashingFileWriter, reused from one upload to the next, aligned for
 * direct I/O. Network chunks are copied in and so die young instead of waiting in memory for a
 * write; a buffer goes back once no write from it is running. Past DIRECT_BUFFERS uploads at
 * once, each further one gets a smaller buffer of its own and the page cache: a slow client
 * never makes another wait.
 */
const uploadBuffers = new AlignedBufferPool(WRITE_BYTES, DIRECT_BUFFERS);

/**
 * Writes a stream to a new file, hashing it and keeping its first and last bytes on the way,
 * without holding the rest: chunks are copied into a WRITE_BYTES buffer that is written out
 * when full, so a 3 MB photo costs six writes rather than one per network chunk (each write
 * is a hand-off to libuv's thread pool), past the page cache where the file system allows
 * (`DirectFile`). The file is fsynced and closed before `finish`.
 */
class HashingFileWriter extends Writable {
  readonly hash = createHash('sha256');
  size = 0;
  headInfo?: Promise<unknown>;
  private file?: DirectFile;
  private headParts: Buffer[] = [];
  private headSize = 0;
  private tailParts: Buffer[] = [];
  private tailSize = 0;
  private buffer?: Buffer;
  private pooled = false;
  private filled = 0;
  /** The write running from the buffer, if any. */
  private writing?: Promise<void>;

  constructor(
    private readonly path: string,
    private readonly options: HashingDiskStorageOptions,
  ) {
    super();
  }

  override _construct(done: (error?: Error | null) => void): void {
    const buffers = this.buffers;
    const pooled = buffers.take();
    DirectFile.create(this.path, 0o640, pooled !== undefined && this.options.directIo !== false).then(
      (file) => {
        this.file = file;
        this.buffer = pooled ?? Buffer.allocUnsafeSlow(CACHED_WRITE_BYTES);
        this.pooled = pooled !== undefined;
        done();
      },
      (e: Error) => {
        if (pooled) buffers.give(pooled);
        done(e);
      },
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
      .then(() => this.file!.finish())
      .then(() => {
        this.file = undefined;
        return this.release();
      })
      .then(() => done(), done);
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.release().then(
      () => done(error),
      () => done(error),
    );
  }

  private get buffers(): AlignedBufferPool {
    return this.options.buffers ?? uploadBuffers;
  }

  /** Hands the complete head to `onHead` (once). */
  headComplete(): void {
    if (this.options.onHead && !this.headInfo) this.headInfo = this.options.onHead(this.head());
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

  /** Writes out what the buffer holds. */
  private async flush(): Promise<void> {
    this.writing = this.file!.append(this.buffer!, this.filled);
    await this.writing;
    this.writing = undefined;
    this.filled = 0;
  }

  /** Closes the file (unless finished) and, once no write reads it any more, returns the buffer. */
  private async release(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    await this.writing?.catch(() => undefined);
    if (this.buffer && this.pooled) this.buffers.give(this.buffer);
    this.buffer = undefined;
    await file?.close();
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
    const writer = new HashingFileWriter(path, this.options);
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
