/** Image formats accepted from observers, told apart by their first bytes (never by name or header). */
export type ImageType = 'jpeg' | 'png' | 'webp' | 'heic' | 'avif';

export const IMAGE_MIME: Readonly<Record<ImageType, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  heic: 'image/heic',
  avif: 'image/avif',
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

/** The type named by the file's magic bytes, or undefined for anything else. */
export function sniffImageType(head: Buffer): ImageType | undefined {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') {
    return 'webp';
  }
  if (head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp') {
    const boxSize = Math.min(head.readUInt32BE(0), head.length);
    const brands = [head.toString('latin1', 8, 12)];
    for (let at = 16; at + 4 <= boxSize; at += 4) brands.push(head.toString('latin1', at, at + 4));
    if (brands.some((b) => AVIF_BRANDS.has(b))) return 'avif';
    if (brands.some((b) => HEIC_BRANDS.has(b))) return 'heic';
  }
  return undefined;
}

/**
 * Whether the file ends the way a complete file of its type does, from its last bytes alone: a
 * JPEG's end-of-image marker, a PNG's IEND chunk, a WebP's RIFF length. A truncated upload
 * (a broken connection mid-file, a cut file) fails this without decoding anything.
 */
export function looksComplete(type: ImageType, head: Buffer, tail: Buffer, size: number): boolean {
  switch (type) {
    case 'jpeg':
      // Entropy-coded data never contains FF D9 (FF is stuffed as FF 00), so it marks the end.
      // Some phones append data after it, hence a search of the tail rather than its last bytes.
      return tail.lastIndexOf(Buffer.from([0xff, 0xd9])) !== -1;
    case 'png':
      return tail.lastIndexOf(Buffer.from('IEND', 'latin1')) !== -1;
    case 'webp':
      return head.length >= 8 && head.readUInt32LE(4) + 8 <= size;
    default:
      return true;
  }
}

/**
 * Markup that a browser would run if it ever took the file for a page: the usual JPEG/HTML and
 * PNG/HTML polyglots hide it in a comment or metadata segment near the start, or append it.
 * Only the file's edges are searched: inside compressed image data such byte runs are noise.
 * One case-insensitive pattern, so each edge is scanned once (no lower-cased copy either).
 */
const MARKUP =
  /<script[\s>/]|<html[\s>]|<!doctype\s+html|<iframe[\s>]|<body[\s>]|<svg[\s>]|javascript:|<object[\s>]|<embed[\s>]|\son(?:load|error)\s*=/i;

/** The first markup found (lower-cased), searching the parts in order; undefined if none. */
export function findMarkup(...parts: Buffer[]): string | undefined {
  for (const part of parts) {
    const match = MARKUP.exec(part.toString('latin1'));
    if (match) return match[0].trim().toLowerCase();
  }
  return undefined;
}

/** Why a client-supplied file name is refused, if it is: it never names a file here, but a
 * name with path parts or control characters is a sign of a broken or hostile client. */
export function fileNameProblem(name: string | undefined): string | undefined {
  if (name === undefined || name === '') return undefined;
  if (name.length > 255) return 'is longer than 255 characters';
  if (/[/\\]/.test(name)) return 'contains a path separator';
  if (name.includes('..')) return 'contains ".."';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'contains control characters';
  return undefined;
}
