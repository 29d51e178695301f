import { AppConfig } from '@app/config';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { PhotoStorage } from '../photo-storage.service';
import { AlignedBufferPool } from './direct-file';
import { EDGE_BYTES, HashingDiskStorage, UploadedFile } from './hashing-disk-storage';

const CHUNK = 64 * 1024;

/** `data` as a network would hand it over: 64 KiB chunks, each after a turn of the event loop. */
function arriving(data: Buffer, failAfter?: number): Readable {
  return Readable.from(
    (async function* () {
      for (let at = 0; at < data.length; at += CHUNK) {
        if (failAfter !== undefined && at >= failAfter) throw new Error('client went away');
        await tick();
        yield data.subarray(at, at + CHUNK);
      }
    })(),
  );
}

describe('HashingDiskStorage', () => {
  let root: string;
  let photos: PhotoStorage;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'votecheck-upload-'));
    photos = new PhotoStorage({ storageDir: root } as AppConfig);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function upload(engine: HashingDiskStorage, stream: Readable): Promise<Partial<UploadedFile>> {
    return new Promise((resolve, reject) =>
      engine._handleFile({} as never, { stream } as Express.Multer.File, (e, info) => (e ? reject(e) : resolve(info!))),
    );
  }

  it('streams files to disk with their hash and edges, past the pool through the page cache', async () => {
    // One aligned buffer for two files at once: the second gets a buffer of its own.
    const pool = new AlignedBufferPool(CHUNK, 1);
    const engine = new HashingDiskStorage(photos, { buffers: pool });
    const files = [randomBytes(3 * 1024 * 1024 + 123), randomBytes(5 * CHUNK + 1)];
    const uploads = Promise.all(files.map((data) => upload(engine, arriving(data))));
    await tick();
    expect(pool.take()).toBeUndefined(); // the first file holds it
    const infos = await uploads;
    infos.forEach((info, i) => {
      const data = files[i];
      expect(info.size).toBe(data.length);
      expect(info.sha256).toBe(createHash('sha256').update(data).digest('hex'));
      expect(info.head!.equals(data.subarray(0, EDGE_BYTES))).toBe(true);
      expect(info.tail!.equals(data.subarray(data.length - EDGE_BYTES))).toBe(true);
      expect(readFileSync(info.path!).equals(data)).toBe(true);
    });
    // The aligned buffer is back in the pool.
    expect(pool.take()).toBeDefined();
  });

  it('removes the file of a stream that breaks off, and takes its buffer back', async () => {
    const pool = new AlignedBufferPool(CHUNK, 1);
    const engine = new HashingDiskStorage(photos, { buffers: pool });
    const before = readdirSync(photos.tempDir).length;
    await expect(upload(engine, arriving(randomBytes(20 * CHUNK), 10 * CHUNK))).rejects.toThrow('client went away');
    expect(readdirSync(photos.tempDir)).toHaveLength(before);
    expect(pool.take()).toBeDefined();
  });

  it('writes the same bytes with direct I/O turned off (UPLOAD_DIRECT_IO=false)', async () => {
    const engine = new HashingDiskStorage(photos, { directIo: false, buffers: new AlignedBufferPool(CHUNK, 1) });
    const data = randomBytes(2 * CHUNK + 5);
    const info = await upload(engine, arriving(data));
    expect(readFileSync(info.path!).equals(data)).toBe(true);
  });
});
