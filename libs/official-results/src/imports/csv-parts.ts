import { CsvFormatError } from '@app/database';
import { parse } from 'csv-parse/sync';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

const NEWLINE = 0x0a;
const RETURN = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;
/** Records go to the parts in blocks of about this size (unless told), cut at record ends. */
export const BLOCK_BYTES = 1024 * 1024;

/** Where the records of a block went: its first record is `stagedFirst`-th of its part and `fileRow` of the file. */
export interface BlockPlace {
  stagedFirst: number;
  fileRow: number;
}

/**
 * A CSV file dealt out to `count` parts, each itself a CSV file: the header line, then blocks of
 * whole records (about `blockBytes` each) in file order. A block goes to the part with the fewest
 * whole blocks waiting to be read, and among those to the one given the least so far: parts take
 * turns while their loaders keep up, and a slower one simply gets fewer blocks. Records end
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
  /** Bytes each part has been given. */
  private readonly dealt: number[];
  /** Settles when the whole file has been dealt out (or rejects with why it could not be). */
  readonly done: Promise<void>;
  /** Why the file could not be read to its end (a broken gzip, a file too large), once known. */
  readError?: Error;
  private closed = false;
  private readonly full = new Set<PassThrough>();
  /** Trailing fields of every record left out, as the header's last ones nobody reads. */
  private dropped = 0;
  private readonly closing: Promise<void>;
  private onClose!: () => void;

  constructor(
    private readonly source: Readable,
    count: number,
    private readonly maxBytes: number,
    private readonly onRecords: (records: number) => void = () => undefined,
    private readonly closeSource: () => void = () => source.destroy(),
    private readonly blockBytes = BLOCK_BYTES,
    private readonly unread: (headers: string[]) => number = () => 0,
  ) {
    // A part takes no further block while about two blocks of it wait to be read.
    this.parts = Array.from({ length: count }, () => new PassThrough({ highWaterMark: 2 * blockBytes }));
    this.places = this.parts.map(() => []);
    this.records = this.parts.map(() => 0);
    this.dealt = this.parts.map(() => 0);
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

  /**
   * Stops reading; parts not yet ended end with `error`, so that whatever still reads them
   * fails rather than waits for an end that will not come.
   */
  close(error: Error = new Error('the file was closed before its end')): void {
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
          const line = this.headerLine(Buffer.concat([...pieces, chunk.subarray(start, i)]));
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
      const line = this.headerLine(Buffer.concat(pieces));
      for (const part of this.parts) part.write(line);
    }
    for (const part of this.parts) part.end();
  }

  /**
   * The header line as the parts get it: without the trailing columns that `unread` says nobody
   * reads (a national file's last column, a long URL, is 45 % of its bytes: COPY takes a third
   * less time without it).
   */
  private headerLine(line: Buffer): Buffer {
    let headers: string[] = [];
    try {
      const text = line.toString('utf8').replace(/^\uFEFF/, '');
      [headers = []] = parse(text, { relax_column_count: true }) as string[][];
    } catch {
      return line; // not valid CSV: COPY says so
    }
    this.dropped = Math.max(0, Math.min(headers.length - 1, this.unread(headers.map((h) => h.trim()))));
    return this.dropped > 0 ? dropTrailingFields(line, this.dropped) : line;
  }

  /** Writes a block to the part whose turn it is (see above), waiting while every part is full. */
  private async send(pieces: Buffer[], records: number, fileRow: number): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const open = this.parts.filter((p) => !p.destroyed && !this.full.has(p));
      if (open.length > 0) {
        // Whole blocks waiting first (a part whose loader lags), then what each part got so
        // far: parts whose loaders keep up take turns.
        const order = (p: PassThrough) => [
          Math.floor((p.writableLength + p.readableLength) / this.blockBytes),
          this.dealt[this.parts.indexOf(p)],
        ];
        const target = open.reduce((a, b) => {
          const [x, y] = [order(a), order(b)];
          return y[0] < x[0] || (y[0] === x[0] && y[1] < x[1]) ? b : a;
        });
        const index = this.parts.indexOf(target);
        this.places[index].push({ stagedFirst: this.records[index] + 1, fileRow });
        this.records[index] += records;
        const block = this.dropped > 0 ? [dropTrailingFields(Buffer.concat(pieces), this.dropped)] : pieces;
        let room = true;
        for (const piece of block) {
          room = target.write(piece);
          this.dealt[index] += piece.length;
        }
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
 * Whole records (each ending at a line feed outside quotes, or at the end) without their last
 * `count` fields. A record without a quote loses them at its last commas; one with quotes is
 * read field by field. A record with too few fields is kept as it is, for COPY to refuse.
 */
export function dropTrailingFields(records: Buffer, count: number): Buffer {
  const out = Buffer.allocUnsafe(records.length);
  let size = 0;
  let start = 0;
  // The next quote at or after the reading position (-1: none left), looked for again once passed.
  let q = records.indexOf(QUOTE);
  while (start < records.length) {
    // The record's end (its line feed, or the end) and whether it has a quote.
    let end = start;
    let quotes = false;
    for (;;) {
      if (q >= 0 && q < end) q = records.indexOf(QUOTE, end);
      const n = records.indexOf(NEWLINE, end);
      if (q < 0 || (n >= 0 && n < q)) {
        end = n < 0 ? records.length : n;
        break;
      }
      quotes = true;
      const close = records.indexOf(QUOTE, q + 1);
      if (close < 0) {
        end = records.length;
        break;
      }
      end = close + 1;
    }
    const content = end > start && end < records.length && records[end - 1] === RETURN ? end - 1 : end;
    const cut = quotes ? cutQuoted(records, start, content, count) : cutPlain(records, start, content, count);
    size += records.copy(out, size, start, cut);
    size += records.copy(out, size, content, Math.min(records.length, end + 1));
    start = end + 1;
  }
  return out.subarray(0, size);
}

/** Where a quote-free record's last `count` fields begin (at their comma); its end if it has too few. */
function cutPlain(records: Buffer, start: number, end: number, count: number): number {
  let cut = end;
  for (let k = 0; k < count; k++) {
    cut = cut > start ? records.lastIndexOf(COMMA, cut - 1) : -1;
    if (cut < start) return end;
  }
  return cut;
}

/** The same for a record with quotes: commas inside quotes do not part fields. */
function cutQuoted(records: Buffer, start: number, end: number, count: number): number {
  const commas: number[] = [];
  let quoted = false;
  for (let i = start; i < end; i++) {
    const c = records[i];
    if (c === QUOTE) quoted = !quoted;
    else if (c === COMMA && !quoted) commas.push(i);
  }
  return commas.length >= count ? commas[commas.length - count] : end;
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
  unread?: (headers: string[]) => number,
): Promise<CsvParts> {
  const handle = await open(path, 'r');
  const magic = Buffer.alloc(2);
  await handle.read(magic, 0, 2, 0).finally(() => handle.close());
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  const gunzip = isGzip(magic) ? createGunzip({ chunkSize: 256 * 1024 }) : undefined;
  const source: Readable = gunzip ? file.pipe(gunzip) : file;
  if (gunzip) file.on('error', (e) => gunzip.destroy(e));
  const close = () => {
    file.destroy();
    gunzip?.destroy();
  };
  return new CsvParts(source, count, maxBytes, onRecords, close, blockBytes, unread);
}

function isGzip(head: Buffer): boolean {
  return head[0] === 0x1f && head[1] === 0x8b;
}
