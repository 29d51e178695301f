import { parse } from 'csv-parse/sync';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { CsvParts, dropTrailingFields, openCsvParts, partCount } from './csv-parts';

/** Reads every part at once (as the loaders do); returns each part's text. */
async function readAll(file: CsvParts): Promise<string[]> {
  const texts = await Promise.all(
    file.parts.map(async (part) => {
      const out: Buffer[] = [];
      for await (const piece of part) out.push(piece as Buffer);
      return Buffer.concat(out).toString('utf8');
    }),
  );
  await file.done;
  return texts;
}

/** Each part's records with the file line its place says it came from, all parts merged in file order. */
function linesOf(file: CsvParts, texts: string[]): Array<[number, string[]]> {
  const rows: Array<[number, string[]]> = [];
  texts.forEach((text, i) => {
    const [, ...records] = parse(text, { relax_column_count: true }) as string[][];
    expect(records).toHaveLength(file.records[i]);
    records.forEach((record, k) => {
      const position = k + 1;
      const place = [...file.places[i]].reverse().find((p) => p.stagedFirst <= position)!;
      rows.push([place.fileRow + position - place.stagedFirst, record]);
    });
  });
  return rows.sort((a, b) => a[0] - b[0]);
}

const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

describe('CsvParts', () => {
  // About 1.4 MB of records (in 64 KiB blocks), some with quotes, commas and line breaks inside cells.
  const records = [
    ['region', 'label', 'note "quoted"', 'votes'],
    ...Array.from({ length: 12_000 }, (_, i) => [
      i % 2 ? 'город Москва' : 'Алтайский край',
      `УИК №${i}`,
      i % 7 === 0 ? 'two\nlines, "quoted"' : i % 11 === 0 ? '"\n"' : 'plain text '.repeat(i % 20),
      String(i),
    ]),
  ];

  it.each([
    ['LF', '\n', true],
    ['CRLF', '\r\n', true],
    ['no final line feed', '\n', false],
  ])('deals a file (%s) out to parts that hold every record once, each after the header', async (_, eol, finalEol) => {
    const bytes = Buffer.from(records.map((r) => r.map(quote).join(',')).join(eol) + (finalEol ? eol : ''));
    for (const count of [1, 2, 3]) {
      for (const chunk of [3001, 65_536]) {
        const source = Readable.from(
          Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, k) => bytes.subarray(k * chunk, (k + 1) * chunk)),
        );
        const file = new CsvParts(source, count, 1 << 30, undefined, undefined, 64 * 1024);
        const texts = await readAll(file);
        for (const part of texts) expect(part.startsWith(records[0].map(quote).join(',') + eol)).toBe(true);
        const rows = linesOf(file, texts);
        expect(rows.map(([line]) => line)).toEqual(records.slice(1).map((_, k) => k + 2));
        expect(rows.map(([, record]) => record)).toEqual(records.slice(1));
        if (count > 1) expect(Math.min(...file.records)).toBeGreaterThan(0);
      }
    }
  });

  it('waits for a slow part and gives the blocks to the others meanwhile', async () => {
    const text = records.map((r) => r.map(quote).join(',')).join('\n') + '\n';
    const file = new CsvParts(Readable.from([Buffer.from(text)]), 2, 1 << 30, undefined, undefined, 64 * 1024);
    const fast: Buffer[] = [];
    file.parts[1].on('data', (d: Buffer) => fast.push(d));
    await new Promise((r) => setTimeout(r, 200)); // part 0 is not read yet
    const slow: Buffer[] = [];
    for await (const piece of file.parts[0]) slow.push(piece as Buffer);
    await file.done;
    expect(file.records[1]).toBeGreaterThan(file.records[0]);
    expect(file.records[0] + file.records[1]).toBe(12_000);
  });

  it('opens a gzip file, counts parts from its trailer, and refuses one past the size limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'votecheck-csv-parts-'));
    try {
      const text = records.map((r) => r.map(quote).join(',')).join('\n') + '\n';
      const path = join(dir, 'file.csv.gz');
      writeFileSync(path, gzipSync(text));
      expect(await partCount(path, 4, 256 * 1024)).toBe(4);
      expect(await partCount(path, 4, 1024 * 1024)).toBe(1);
      expect(await partCount(path, 1, 1024)).toBe(1);
      expect(await partCount(join(dir, 'gone.csv'), 4, 16)).toBe(1);
      let dealt = 0;
      const file = await openCsvParts(path, 3, 1 << 30, (n) => (dealt = n), 64 * 1024);
      const rows = linesOf(file, await readAll(file));
      expect(rows.map(([, record]) => record)).toEqual(records.slice(1));
      expect(dealt).toBe(12_000);

      const small = await openCsvParts(path, 2, 100_000, () => undefined);
      const drained = small.parts.map((p) => p.pipe(new PassThrough()).resume());
      await expect(small.done).rejects.toThrow(/larger than 100000 bytes/);
      expect(small.readError?.message).toMatch(/larger than/);
      expect(drained.every((p) => p !== undefined)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves out the trailing columns nobody reads, from the header and every record', async () => {
    const text = records.map((r) => r.map(quote).join(',')).join('\n') + '\n';
    const file = new CsvParts(
      Readable.from([Buffer.from(text)]),
      2,
      1 << 30,
      undefined,
      undefined,
      64 * 1024,
      (h) => h.length - 1 - h.indexOf('note "quoted"'),
    );
    const texts = await readAll(file);
    const rows = linesOf(file, texts);
    expect(parse(texts[1], { to_line: 1 })).toEqual([records[0].slice(0, 3)]);
    expect(rows.map(([, record]) => record)).toEqual(records.slice(1).map((r) => r.slice(0, 3)));
  });
});

describe('dropTrailingFields', () => {
  const cases: Array<[string, string]> = [
    ['a,b,c\n1,2,3\n', 'a,b\n1,2\n'],
    ['a,b,c\r\n1,2,3\r\n', 'a,b\r\n1,2\r\n'],
    ['1,2,3', '1,2'],
    ['"x,y",2,"long, ""quoted"" url"\n', '"x,y",2\n'],
    ['"two\nlines",2,3\n4,"5\n",6\n', '"two\nlines",2\n4,"5\n"\n'],
    ['only\n\n1,2,3\n', 'only\n\n1,2\n'],
  ];
  it.each(cases)('leaves out the last field of %j', (input, output) => {
    expect(dropTrailingFields(Buffer.from(input), 1).toString()).toBe(output);
  });

  it('agrees with a CSV parser on records of every shape', () => {
    const cells = ['', 'plain', 'a,b', 'say "hi"', 'two\nlines', '"', 'Москва, УИК №5', 'x\r\ny'];
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % cells.length;
    const rows = Array.from({ length: 500 }, () => Array.from({ length: 2 + (next() % 4) }, () => cells[next()]));
    const text = rows.map((r) => r.map(quote).join(',')).join('\n') + '\n';
    for (const count of [1, 2]) {
      const out = dropTrailingFields(Buffer.from(text), count).toString();
      const expected = rows.map((r) => (r.length > count ? r.slice(0, r.length - count) : r));
      expect(parse(out, { relax_column_count: true })).toEqual(expected);
    }
  });
});
