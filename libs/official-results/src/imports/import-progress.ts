import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';

const NEWLINE = 0x0a;

/**
 * Opens an uploaded file as plain CSV (gunzipped when it starts with the gzip magic bytes) and
 * counts line ends as the bytes go by, so that progress can be told in rows while PostgreSQL
 * is still parsing. Quoted line breaks make the count a little high; the final count is exact.
 */
export async function openCountingLines(
  path: string,
  onLines: (lines: number) => void,
): Promise<{ stream: Readable; close: () => void }> {
  const handle = await open(path, 'r');
  const magic = Buffer.alloc(2);
  await handle.read(magic, 0, 2, 0).finally(() => handle.close());
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  let lines = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      for (let i = chunk.indexOf(NEWLINE); i >= 0; i = chunk.indexOf(NEWLINE, i + 1)) lines++;
      onLines(lines);
      done(null, chunk);
    },
  });
  const gzipped = magic[0] === 0x1f && magic[1] === 0x8b;
  const ignore = () => undefined;
  if (gzipped) pipeline(file, createGunzip(), counter, ignore);
  else pipeline(file, counter, ignore);
  // The counter goes first and without an error: an error would travel on into streams that
  // the stager has stopped listening to once it refused the header, and crash the process.
  return {
    stream: counter,
    close: () => {
      counter.destroy();
      file.destroy();
    },
  };
}

/**
 * Writes progress at most every `intervalMs`, one write at a time, outside the import's
 * transaction. `stop()` waits for the last write: after it nothing more is written, so the
 * final status update never races a late progress write on the same row.
 */
export class ProgressWriter {
  private last = 0;
  private highest = 0;
  private pending: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly write: (rowsDone: number) => Promise<void>,
    private readonly intervalMs = 250,
  ) {}

  /** Counts below one already written are ignored: a file read a second time never goes back. */
  rows(rowsDone: number): void {
    const now = Date.now();
    if (this.stopped || now - this.last < this.intervalMs || rowsDone <= this.highest) return;
    this.last = now;
    this.highest = rowsDone;
    this.pending = this.pending.then(() => (this.stopped ? undefined : this.write(rowsDone))).catch(() => undefined);
  }

  /** Tells the writer of a count written elsewhere, so that it never writes a lower one. */
  reached(rowsDone: number): void {
    this.highest = Math.max(this.highest, rowsDone);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.pending;
  }
}
