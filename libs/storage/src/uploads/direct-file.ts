import { constants } from 'node:fs';
import { FileHandle, open } from 'node:fs/promises';

/**
 * What O_DIRECT asks of a buffer's address, a write's length and its file offset: a multiple
 * of the device's logical block size, which is 512 or 4096 bytes on the disks in use.
 */
export const DIRECT_ALIGN = 4096;
/** A WebAssembly memory page, the unit its memories grow in. */
const WASM_PAGE = 64 * 1024;
/** The one part of WebAssembly used here (the project's TypeScript libraries leave it out). */
declare const WebAssembly: { Memory: new (size: { initial: number }) => { buffer: ArrayBuffer } };

/**
 * Whether this process still writes files past the page cache: it stops at the first file
 * system that refuses O_DIRECT (tmpfs, some network and overlay file systems) or a write it
 * asks of it. Systems without O_DIRECT (macOS) never start.
 */
let directIo = constants.O_DIRECT !== undefined;

/**
 * At most `count` buffers of `size` bytes for direct I/O, reused from one file to the next.
 * They are views of one WebAssembly memory, whose base is page aligned (an ordinary Buffer's
 * is not), made when first asked for; its pages take memory once written to, and keep it.
 */
export class AlignedBufferPool {
  private free?: Buffer[];

  constructor(
    readonly size: number,
    private readonly count: number,
  ) {
    if (size % WASM_PAGE !== 0) throw new Error(`aligned buffers are whole WebAssembly pages, not ${size} bytes`);
  }

  /**
   * A buffer, or undefined when all `count` are in use or the memory could not be had (a
   * WebAssembly memory reserves address space beyond its size, which a strict overcommit
   * policy may refuse): the caller then writes through the page cache.
   */
  take(): Buffer | undefined {
    if (!this.free) {
      try {
        const memory = new WebAssembly.Memory({ initial: (this.size / WASM_PAGE) * this.count });
        this.free = Array.from({ length: this.count }, (_, i) => Buffer.from(memory.buffer, i * this.size, this.size));
      } catch {
        this.free = [];
      }
    }
    return this.free.pop();
  }

  give(buffer: Buffer): void {
    this.free!.push(buffer);
  }
}

/**
 * A new file written from aligned buffers past the page cache (O_DIRECT), so that its bytes
 * are copied once, by the device, instead of into the page cache and again to the disk at
 * fsync: with 3 MB photos, that copy was a quarter to a third of the API's CPU per upload.
 * Where O_DIRECT is refused, at open or at a write, the file carries on through the page cache
 * from where it was. The last block is written whole and the file then cut to its length.
 */
export class DirectFile {
  private position = 0;
  private padded = false;

  private constructor(
    private readonly path: string,
    private handle: FileHandle,
    private direct: boolean,
  ) {}

  /** Whether the file is (still) written past the page cache. */
  get isDirect(): boolean {
    return this.direct;
  }

  /**
   * Creates the file (failing if it exists) with `mode`; written past the page cache if
   * `aligned` (the buffers it will be given come from an AlignedBufferPool) and this process
   * still does so.
   */
  static async create(path: string, mode: number, aligned: boolean): Promise<DirectFile> {
    const flags = constants.O_WRONLY | constants.O_CREAT;
    if (aligned && directIo) {
      try {
        return new DirectFile(path, await open(path, flags | constants.O_EXCL | constants.O_DIRECT, mode), true);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
        directIo = false;
        // Linux refuses O_DIRECT only after creating the file, which O_EXCL found absent: the
        // file there now is that one, opened again without O_DIRECT.
        return new DirectFile(path, await open(path, flags, mode), false);
      }
    }
    return new DirectFile(path, await open(path, flags | constants.O_EXCL, mode), false);
  }

  /**
   * Appends `length` bytes of `buffer` (an AlignedBufferPool buffer if `aligned`). Only the file's last
   * write may be of a length that is not a multiple of DIRECT_ALIGN: the bytes after it, up to
   * the next multiple, are zeroed and written too, and `finish` cuts them off again.
   */
  async append(buffer: Buffer, length: number): Promise<void> {
    let end = length;
    if (this.direct && length % DIRECT_ALIGN !== 0) {
      end = Math.min(buffer.length, Math.ceil(length / DIRECT_ALIGN) * DIRECT_ALIGN);
      buffer.fill(0, length, end);
      this.padded = end !== length;
    }
    for (let at = 0; at < end;) {
      const written = await this.write(buffer, at, end - at);
      at += written;
      this.position += written;
    }
    if (this.padded) this.position -= end - length;
  }

  /** Cuts off the padding, then makes the file's bytes and size durable and closes it. */
  async finish(): Promise<void> {
    if (this.padded) await this.handle.truncate(this.position);
    await this.handle.sync();
    await this.close();
  }

  close(): Promise<void> {
    return this.handle.close();
  }

  private async write(buffer: Buffer, offset: number, length: number): Promise<number> {
    try {
      return (await this.handle.write(buffer, offset, length, this.position)).bytesWritten;
    } catch (e) {
      if (!this.direct || (e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
      // The file system wants more than DIRECT_ALIGN (or takes no direct writes after all):
      // the same write again, through the page cache, and every later one too.
      directIo = false;
      this.direct = false;
      const buffered = await open(this.path, constants.O_WRONLY);
      await this.handle.close();
      this.handle = buffered;
      return this.write(buffer, offset, length);
    }
  }
}
