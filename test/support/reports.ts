import IORedis from 'ioredis';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { bearer, TestContext, TestUser } from './test-context';

/** A precinct of the election, made directly in the database. */
export async function newPrecinct(
  ctx: TestContext,
  electionId: string,
  region = 'город Москва',
  number = String(1000 + Math.floor(Math.random() * 8000)),
): Promise<{ id: number; region: string; number: string }> {
  const [row] = await ctx.db.query(
    `INSERT INTO precincts (election_id, region, district, number) VALUES ($1, $2, 'ОИК №196', $3) RETURNING id`,
    [electionId, region, number],
  );
  return { id: row.id, region, number };
}

/** A JPEG of a "protocol" (random blocks, so every seed differs) with EXIF GPS and orientation. */
export async function protocolJpeg(
  opts: { seed?: number; width?: number; height?: number; gps?: boolean; orientation?: number; quality?: number } = {},
): Promise<Buffer> {
  const { seed = 1, width = 1200, height = 1600, gps = true, orientation = 1, quality = 85 } = opts;
  const cols = 12;
  const rows = 16;
  let state = seed * 2654435761;
  const next = () => (state = (state * 1103515245 + 12345) >>> 0) % 256;
  const cells = Buffer.alloc(cols * rows);
  for (let i = 0; i < cells.length; i++) cells[i] = next();
  const image = sharp(cells, { raw: { width: cols, height: rows, channels: 1 } })
    .resize(width, height, { kernel: 'nearest' })
    .jpeg({ quality });
  if (!gps) return image.toBuffer();
  return image
    .withMetadata({ orientation })
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'Observer 1' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '55/1 45/1 2100/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '37/1 37/1 1200/100',
      },
    })
    .toBuffer();
}

/**
 * A JPEG whose header is sound (it passes every upload check) but whose quantization tables are
 * gone: the decoder fails on it every time, like a photo broken in a phone's storage.
 */
export async function poisonedJpeg(seed: number): Promise<Buffer> {
  const jpeg = await protocolJpeg({ seed, width: 600, height: 800, gps: false });
  const kept: Buffer[] = [jpeg.subarray(0, 2)];
  for (let at = 2; at < jpeg.length;) {
    const marker = jpeg[at + 1];
    if (marker === 0xda) {
      kept.push(jpeg.subarray(at));
      break;
    }
    const end = at + 2 + jpeg.readUInt16BE(at + 2);
    if (marker !== 0xdb) kept.push(jpeg.subarray(at, end));
    at = end;
  }
  return Buffer.concat(kept);
}

/** A PNG header claiming 20000×20000 (400 MP) with a tiny body: a decompression bomb's shape. */
export function bombPng(width = 20000, height = 20000): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

/**
 * The first boxes of an iPhone HEIC (ftyp brand "heic") around bytes no HEVC decoder accepts:
 * enough for the type to be told by its magic bytes and refused when it cannot be decoded.
 */
export function fakeHeic(): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypheic', 4, 'latin1');
  ftyp.write('mif1heic', 16, 'latin1');
  const meta = Buffer.alloc(4096, 0x5a);
  meta.writeUInt32BE(meta.length, 0);
  meta.write('meta', 4, 'latin1');
  return Buffer.concat([ftyp, meta]);
}

/** A JPEG with an HTML page in a comment segment right after the start marker. */
export function polyglotJpeg(jpeg: Buffer): Buffer {
  const html = Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>', 'latin1');
  const com = Buffer.alloc(4);
  com[0] = 0xff;
  com[1] = 0xfe;
  com.writeUInt16BE(html.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), com, html, jpeg.subarray(2)]);
}

export interface ReportForm {
  clientReportId?: string;
  region?: string;
  number?: string;
  values?: string;
  comment?: string;
  photos?: Array<{ data: Buffer; name?: string }>;
  extra?: Record<string, string>;
}

/** POSTs a report through the API as multipart; returns the supertest answer. */
export function postReport(ctx: TestContext, slug: string, user: TestUser, form: ReportForm) {
  let req = ctx
    .http()
    .post(`/api/elections/${slug}/reports`)
    .set(...bearer(user));
  const fields: Record<string, string | undefined> = {
    clientReportId: form.clientReportId ?? randomUUID(),
    region: form.region,
    number: form.number,
    values: form.values,
    comment: form.comment,
    ...form.extra,
  };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) req = req.field(k, v);
  for (const [i, p] of (form.photos ?? []).entries()) {
    // As `filepath`, so that the name is sent as given (path parts included), not cut to its base.
    // (form-data reads `filepath`; superagent's types name only filename and contentType.)
    const options = { filepath: p.name ?? `IMG_${i}.jpg` } as { filename?: string };
    req = req.attach('photos', p.data, options);
  }
  return req;
}

/** Waits (polling the database) until `check` holds; no timing is asserted. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every file under the storage folder (originals, derivatives, temporary uploads). */
export async function storedFiles(ctx: TestContext): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const entries = await readdir(ctx.env.STORAGE_DIR, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => `${e.parentPath ?? (e as { path?: string }).path}/${e.name}`);
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A throw-away redis-server of one test file: nothing persisted, so a restart loses every key. */
export async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const client = new IORedis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  await eventually(
    () =>
      client.connect().then(
        () => true,
        () => undefined,
      ),
    10_000,
  );
  client.disconnect();
  return child;
}

/** Kills a child process this test started (by its handle) and waits until it is gone. */
export function killChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/**
 * An entry point (the worker, the API) as its own process with the test's environment: from the
 * TypeScript sources (`apps/…/main.ts`), or as built (`builtEntry`).
 */
export function spawnEntry(
  ctx: TestContext,
  entry: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): ChildProcess {
  const root = join(__dirname, '..', '..');
  const register = entry.endsWith('.ts') ? ['-r', './test/support/swc-register.js'] : [];
  return spawn(process.execPath, [...nodeArgs, ...register, entry], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...ctx.env, ...env },
    stdio: 'ignore',
  });
}

export const spawnWorker = (ctx: TestContext): ChildProcess => spawnEntry(ctx, 'apps/worker/src/main.ts');

/**
 * An app's entry point as `npm start` and the image run it, compiled to `dist/` (the benchmarks'
 * global setup builds it first). Benchmarks measure that: the sources run through the swc hook
 * carry the compiler in the process (about 80 MB more heap for the API, and its garbage
 * collection with it).
 */
export const builtEntry = (app: 'api' | 'worker'): string => `dist/apps/${app}/src/main.js`;

/**
 * The API as built (`builtEntry`) in a process of its own on a free port, once it answers:
 * the process and the API's base URL. A process that never answers is killed.
 */
export async function spawnBuiltApi(
  ctx: TestContext,
  nodeArgs: string[] = [],
): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawnEntry(ctx, builtEntry('api'), { PORT: String(port) }, nodeArgs);
  const url = `http://127.0.0.1:${port}`;
  try {
    await answering(`${url}/api/health`);
  } catch (e) {
    await killChild(child);
    throw e;
  }
  return { child, url };
}

/** Resident memory of a process now, in MB (from /proc). */
export function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

/** A JPEG of random noise, which compresses hardly at all: about one byte per pixel at quality 95. */
export async function noiseJpeg(width: number, height: number): Promise<Buffer> {
  const { randomBytes } = await import('node:crypto');
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

/** The same picture as other bytes (a comment segment with `n` after the start marker): a new file. */
export function distinctJpeg(jpeg: Buffer, n: number): Buffer {
  const text = Buffer.from(`copy ${n}`, 'latin1');
  const com = Buffer.from([0xff, 0xfe, 0, 0]);
  com.writeUInt16BE(text.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), com, text, jpeg.subarray(2)]);
}

/** A report as multipart parts around one photo; the photo's buffer is shared, never copied. */
export function multipartReport(
  fields: Record<string, string>,
  photo: Buffer,
): { contentType: string; parts: Buffer[]; length: number } {
  const boundary = `vc-${randomUUID()}`;
  const head = Object.entries(fields)
    .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
    .join('');
  const parts = [
    Buffer.from(
      `${head}--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="IMG_1.jpg"\r\n` +
        'Content-Type: image/jpeg\r\n\r\n',
    ),
    photo,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ];
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    parts,
    length: parts.reduce((n, p) => n + p.length, 0),
  };
}

/** POSTs prepared multipart parts over plain HTTP; resolves with the status and body text. */
export function sendMultipart(
  url: string,
  body: { contentType: string; parts: Buffer[]; length: number },
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      // A connection per upload: a kept-alive one that the server closed while idle breaks the next write.
      agent: false,
      headers: { ...headers, 'content-type': body.contentType, 'content-length': String(body.length) },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    for (const part of body.parts) req.write(part);
    req.end();
  });
}

/**
 * The benchmarks' baseline server: busboy straight to disk, answering 202 once the file is
 * written. With `durable` it does what a 202 of the API promises, and nothing more: SHA-256 while
 * streaming, the file flushed to disk (fsync), then renamed to its content address
 * `<2 hex>/<sha256>` and that directory synced, so the file and its name survive a power cut.
 */
const BARE_BUSBOY_SERVER = `
const busboy = require('busboy');
const { createHash } = require('node:crypto');
const { createServer } = require('node:http');
const { createWriteStream, mkdirSync } = require('node:fs');
const { open, rename } = require('node:fs/promises');
const { join } = require('node:path');
const { Transform } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const durable = process.env.DURABLE === 'true';
let n = 0;
async function syncDir(dir) {
  const handle = await open(dir, 'r');
  try { await handle.sync(); } finally { await handle.close(); }
}
async function store(file) {
  const temp = join(process.env.DIR, 'tmp-' + String(++n));
  if (!durable) return pipeline(file, createWriteStream(temp));
  const hash = createHash('sha256');
  const hashing = new Transform({ transform(chunk, _enc, done) { hash.update(chunk); done(null, chunk); } });
  await pipeline(file, hashing, createWriteStream(temp, { flush: true }));
  const sha = hash.digest('hex');
  const dir = join(process.env.DIR, sha.slice(0, 2));
  mkdirSync(dir, { recursive: true });
  await rename(temp, join(dir, sha));
  await syncDir(dir);
}
createServer((req, res) => {
  if (req.method !== 'POST') return res.end('ok');
  const parser = busboy({ headers: req.headers });
  const writes = [];
  parser.on('file', (_name, file) => writes.push(store(file)));
  parser.on('close', () => Promise.all(writes).then(() => { res.writeHead(202); res.end('{}'); }));
  req.pipe(parser);
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

export function spawnBareBusboy(port: number, dir: string, durable: boolean): ChildProcess {
  return spawn(process.execPath, ['-e', BARE_BUSBOY_SERVER], {
    cwd: join(__dirname, '..', '..'),
    env: { PATH: process.env.PATH ?? '', PORT: String(port), DIR: dir, DURABLE: String(durable) },
    stdio: 'ignore',
  });
}

/** Waits until something answers HTTP at the URL. */
export async function answering(url: string): Promise<void> {
  await eventually(
    () =>
      fetch(url).then(
        () => true,
        () => undefined,
      ),
    60_000,
  );
}
