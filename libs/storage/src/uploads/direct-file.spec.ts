import { randomBytes } from 'node:crypto';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlignedBufferPool, DIRECT_ALIGN, DirectFile } from './direct-file';

const BUFFER = 64 * 1024;

/** Whether the folder's file system takes O_DIRECT at all (tmpfs before Linux 6.6 does not). */
function takesDirectIo(dir: string): boolean {
  try {
    closeSync(openSync(join(dir, 'probe'), constants.O_WRONLY | constants.O_CREAT | constants.O_DIRECT));
    return true;
  } catch {
    return false;
  } finally {
    rmSync(join(dir, 'probe'), { force: true });
  }
}

describe('DirectFile', () => {
  let dir: string;
  let n = 0;
  const pool = new AlignedBufferPool(BUFFER, 2);
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'votecheck-direct-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes `data` through `buffer` as the upload writer does: whole buffers, then the rest. */
  async function write(data: Buffer, buffer: Buffer, aligned: boolean): Promise<{ path: string; direct: boolean }> {
    const path = join(dir, `f${++n}`);
    const file = await DirectFile.create(path, 0o640, aligned);
    for (let at = 0; at < data.length; at += buffer.length) {
      const part = data.subarray(at, at + buffer.length);
      part.copy(buffer);
      await file.append(buffer, part.length);
    }
    const direct = file.isDirect;
    await file.finish();
    return { path, direct };
  }

  it.each([0, 1, DIRECT_ALIGN - 1, DIRECT_ALIGN, BUFFER - 1, BUFFER, BUFFER + 1, 3 * BUFFER + 12_345])(
    'writes exactly %i bytes past the page cache, padding cut off',
    async (size) => {
      const data = randomBytes(size);
      const buffer = pool.take()!;
      const { path, direct } = await write(data, buffer, true);
      pool.give(buffer);
      expect(direct).toBe(takesDirectIo(dir));
      expect(statSync(path).size).toBe(size);
      expect(readFileSync(path).equals(data)).toBe(true);
      expect(statSync(path).mode & 0o777).toBe(0o640);
    },
  );

  it('writes through the page cache when told its buffers are not aligned', async () => {
    const data = randomBytes(2 * BUFFER + 7);
    const { path, direct } = await write(data, Buffer.alloc(BUFFER), false);
    expect(direct).toBe(false);
    expect(readFileSync(path).equals(data)).toBe(true);
  });

  it('refuses a file that exists', async () => {
    const { path } = await write(randomBytes(10), Buffer.alloc(BUFFER), false);
    await expect(DirectFile.create(path, 0o640, true)).rejects.toMatchObject({ code: 'EEXIST' });
  });

  it('hands out at most its count of page-aligned buffers, and takes them back', () => {
    const small = new AlignedBufferPool(BUFFER, 2);
    const [a, b] = [small.take()!, small.take()!];
    expect(small.take()).toBeUndefined();
    expect(a.byteOffset % DIRECT_ALIGN).toBe(0);
    expect(b.byteOffset % DIRECT_ALIGN).toBe(0);
    expect(a.buffer).toBe(b.buffer);
    small.give(a);
    expect(small.take()).toBe(a);
    expect(() => new AlignedBufferPool(1000, 1)).toThrow(/whole WebAssembly pages/);
  });

  it('hands out none when its memory cannot be had (more than a WebAssembly memory can hold)', () => {
    const huge = new AlignedBufferPool(BUFFER, 2 ** 17);
    expect(huge.take()).toBeUndefined();
    expect(huge.take()).toBeUndefined();
  });

  // Last: the fallback turns direct I/O off for the rest of this process.
  it('carries on through the page cache when a direct write is refused (an unaligned buffer)', async () => {
    const data = randomBytes(BUFFER + 99);
    const unaligned = Buffer.alloc(BUFFER + 1).subarray(1);
    const { path, direct } = await write(data, unaligned, true);
    expect(direct).toBe(false);
    expect(readFileSync(path).equals(data)).toBe(true);
    const later = await DirectFile.create(join(dir, 'later'), 0o640, true);
    expect(later.isDirect).toBe(false);
    await later.finish();
  });
});
