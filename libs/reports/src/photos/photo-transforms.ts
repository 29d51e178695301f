import sharp from 'sharp';

export const REVIEW_PX = 1600;
export const THUMB_PX = 320;

export interface Derivatives {
  review: Buffer;
  thumb: Buffer;
  /** Upright dimensions of the original. */
  width: number;
  height: number;
  /** 256-bit difference hash of the upright picture, as 64 hex digits. */
  phash: string;
}

/**
 * Decodes an original once per derivative (JPEG shrink-on-load makes the small one cheap),
 * upright by its EXIF orientation, and re-encodes it as WebP. sharp writes no metadata unless
 * asked, so EXIF (GPS above all), XMP and ICC comments are gone from every derivative.
 */
export async function renderDerivatives(input: string, maxPixels: number): Promise<Derivatives> {
  const source = sharp(input, { limitInputPixels: maxPixels, failOn: 'error' }).autoOrient();
  const [review, thumb] = await Promise.all([
    source
      .clone()
      .resize(REVIEW_PX, REVIEW_PX, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer({ resolveWithObject: true }),
    source
      .clone()
      .resize(THUMB_PX, THUMB_PX, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 70 })
      .toBuffer(),
  ]);
  const meta = await sharp(input, { limitInputPixels: maxPixels }).metadata();
  const turned = (meta.orientation ?? 1) >= 5;
  return {
    review: review.data,
    thumb,
    width: (turned ? meta.height : meta.width) ?? review.info.width,
    height: (turned ? meta.width : meta.height) ?? review.info.height,
    phash: await differenceHash(thumb),
  };
}

/**
 * dHash: the picture in grey at 17×16, one bit per horizontal neighbour pair (brighter or not).
 * Re-encoding, resizing and small crops change few bits; a different picture changes about half.
 */
export async function differenceHash(image: Buffer): Promise<string> {
  const pixels = await sharp(image).greyscale().resize(17, 16, { fit: 'fill' }).raw().toBuffer();
  const bits: number[] = [];
  for (let y = 0; y < 16; y++) {
    for (let x = 0; x < 16; x++) bits.push(pixels[y * 17 + x] > pixels[y * 17 + x + 1] ? 1 : 0);
  }
  let hex = '';
  for (let i = 0; i < bits.length; i += 4)
    hex += ((bits[i] << 3) | (bits[i + 1] << 2) | (bits[i + 2] << 1) | bits[i + 3]).toString(16);
  return hex;
}

export function hammingDistance(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    let x = parseInt(a[i], 16) ^ parseInt(b[i], 16);
    while (x) {
      d += x & 1;
      x >>= 1;
    }
  }
  return d;
}
