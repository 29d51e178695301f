import { CsvFormatError } from '@app/database';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

const NEWLINE = 0x0a;
const QUOTE = 0x22;
/** Records go to the parts in blocks of about this size (unless told), cut at record ends. */
export const BLOCK_BYTES = 1024 * 1024;

/** Where the records of a block went: its first record is `stagedFirst`-th of its part and `fileRow` of the file. */
export interface BlockPlace {
  stagedFirst: number;
  fileRow: number;
}

/**
 * A CSV file dealt out to `count` parts, each itself a CSV file: the header line, then blocks of
 * whole records (about `blockBytes` each) in file order. A block goes to the part with the least
 * unread data, so that a part whose loader is slower simply gets fewer blocks. Records end
 * where PostgreSQL's COPY ends them: at a line feed outside quotes (a quote opens or closes a
 * quoted stretch; a doubled quote inside one does both). The file is read once.
 *
 * `places[i]` tells where part i's blocks came from, so that a row's file line can be worked
 * out from its position in the part (`fileRowSql`); `records[i]` counts part i's records.
 * Both are complete once the parts have ended.
 */
export class CsvParts {
  readonly parts: PassThrough[];
  readonly places: BlockPlace[][];
  readonly records: number[];
  /** Settles when the whole file has been dealt out (or rejects with why it could not be). */
  readonly done: Promise<void>;
  /** Why the file could not be read to its end (a broken gzip, a file too large), once known. */
  readError?: Error;
  private closed = false;
  private readonly full = new Set<PassThrough>();
  private readonly closing: Promise<void>;
  private onClose!: () => void;

  constructor(
    private readonly source: Readable,
    count: number,
    private readonly maxBytes: number,
    private readonly onRecords: (records: number) => void = () => undefined,
    private readonly closeSource: () => void = () => source.destroy(),
    private readonly blockBytes = BLOCK_BYTES,
  ) {
    // A part takes no further block while about two blocks of it wait to be read.
    this.parts = Array.from({ length: count }, () => new PassThrough({ highWaterMark: 2 * blockBytes }));
    this.places = this.parts.map(() => []);
    this.records = this.parts.map(() => 0);
    this.closing = new Promise((resolve) => (this.onClose = resolve));
    for (const part of this.parts) {
      part.on('drain', () => this.full.delete(part));
      // A part's error is also the reader's (`done`): it must not go unheard when the part's
      // loader has stopped listening (a refused header), which would end the process.
      part.on('error', () => undefined);
    }
    this.done = this.deal();
    this.done.catch((e: Error) => {
      this.readError = e;
      this.close(e);
    });
  }

  /** Stops reading; parts not yet ended end with `error` (or are destroyed quietly). */
  close(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    this.closeSource();
    for (const part of this.parts) if (!part.writableFinished) part.destroy(error);
  }

  private async deal(): Promise<void> {
    let offset = 0;
    let quoted = false;
    let header = true;
    let fileRecords = 0;
    // The block being gathered: pieces of chunks, their size, its records, its first file row.
    let pieces: Buffer[] = [];
    let size = 0;
    let blockRecords = 0;
    for await (const chunk of this.source as AsyncIterable<Buffer>) {
      if (this.closed) return;
      offset += chunk.length;
      if (offset > this.maxBytes) {
        throw new CsvFormatError(`the file is larger than ${this.maxBytes} bytes once decompressed`);
      }
      let start = 0;
      let i = 0;
      // The next quote at or after i (-1: none left in the chunk), looked for again only once passed.
      let q = chunk.indexOf(QUOTE);
      while (i < chunk.length) {
        if (q >= 0 && q < i) q = chunk.indexOf(QUOTE, i);
        if (quoted) {
          if (q < 0) break;
          quoted = false;
          i = q + 1;
          continue;
        }
        const n = chunk.indexOf(NEWLINE, i);
        if (q >= 0 && (n < 0 || q < n)) {
          quoted = true;
          i = q + 1;
          continue;
        }
        if (n < 0) break;
        i = n + 1;
        if (header) {
          const line = Buffer.concat([...pieces, chunk.subarray(start, i)]);
          for (const part of this.parts) part.write(line);
          header = false;
          [pieces, size, start] = [[], 0, i];
          continue;
        }
        blockRecords++;
        if (size + i - start >= this.blockBytes) {
          pieces.push(chunk.subarray(start, i));
          await this.send(pieces, blockRecords, fileRecords + 2);
          fileRecords += blockRecords;
          [pieces, size, blockRecords, start] = [[], 0, 0, i];
        }
      }
      if (start < chunk.length) {
        pieces.push(chunk.subarray(start));
        size += chunk.length - start;
      }
    }
    if (this.closed) return;
    // What is left: whole records, and a last one without a line feed if the file ends so.
    if (!header && size > 0) {
      const last = pieces[pieces.length - 1];
      if (quoted || last[last.length - 1] !== NEWLINE) blockRecords++;
      await this.send(pieces, blockRecords, fileRecords + 2);
    } else if (header && size > 0) {
      const line = Buffer.concat(pieces);
      for (const part of this.parts) part.write(line);
    }
    for (const part of this.parts) part.end();
  }

  /** Writes a block to the part with the least unread data, waiting while every part is full. */
  private async send(pieces: Buffer[], records: number, fileRow: number): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const open = this.parts.filter((p) => !p.destroyed && !this.full.has(p));
      if (open.length > 0) {
        const unread = (p: PassThrough) => p.writableLength + p.readableLength;
        const target = open.reduce((a, b) => (unread(b) < unread(a) ? b : a));
        const index = this.parts.indexOf(target);
        this.places[index].push({ stagedFirst: this.records[index] + 1, fileRow });
        this.records[index] += records;
        let room = true;
        for (const piece of pieces) room = target.write(piece);
        if (!room) this.full.add(target);
        this.onRecords(this.records.reduce((a, b) => a + b, 0));
        return;
      }
      const waiting = this.parts.filter((p) => !p.destroyed);
      if (waiting.length === 0) return;
      await Promise.race([this.closing, ...waiting.map((p) => once(p, 'drain'))]);
    }
  }
}

/**
 * SQL for the file line of a staged row, from its position `position` (1-based) in its part:
 * the position plus the offset of the block it came in.
 */
export function fileRowSql(places: BlockPlace[], position: string): string {
  if (places.length === 0) return position;
  const starts = places.map((p) => p.stagedFirst).join(',');
  const shifts = places.map((p) => p.fileRow - p.stagedFirst).join(',');
  return `(${position} + ('{${shifts}}'::int[])[width_bucket(${position}, '{${starts}}'::int[])])`;
}

/**
 * How many parts to load a file in: one per `parallelism`, but none smaller than `minPartBytes`
 * of CSV. The size of a gzip file is read from its trailer (ISIZE); a wrong one only changes
 * the number of parts.
 */
export async function partCount(path: string, parallelism: number, minPartBytes: number): Promise<number> {
  const size = await stat(path).then(
    (s) => s.size,
    () => 0, // a file gone from storage is refused when it is read
  );
  if (size < 18 || parallelism <= 1) return 1;
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    let bytes = size;
    if (isGzip(head)) {
      const trailer = Buffer.alloc(4);
      await handle.read(trailer, 0, 4, size - 4);
      bytes = trailer.readUInt32LE(0);
    }
    return Math.max(1, Math.min(parallelism, Math.floor(bytes / minPartBytes)));
  } finally {
    await handle.close();
  }
}

/**
 * Opens an uploaded CSV (gunzipped when it starts with the gzip magic bytes) dealt out to
 * `count` parts.
 */
export async function openCsvParts(
  path: string,
  count: number,
  maxBytes: number,
  onRecords: (records: number) => void,
  blockBytes = BLOCK_BYTES,
): Promise<CsvParts> {
  const handle = await open(path, 'r');
  const magic = Buffer.alloc(2);
  await handle.read(magic, 0, 2, 0).finally(() => handle.close());
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  const gunzip = isGzip(magic) ? createGunzip({ chunkSize: 64 * 1024 }) : undefined;
  const source: Readable = gunzip ? file.pipe(gunzip) : file;
  if (gunzip) file.on('error', (e) => gunzip.destroy(e));
  const close = () => {
    file.destroy();
    gunzip?.destroy();
  };
  return new CsvParts(source, count, maxBytes, onRecords, close, blockBytes);
}

function isGzip(head: Buffer): boolean {
  return head[0] === 0x1f && head[1] === 0x8b;
}
