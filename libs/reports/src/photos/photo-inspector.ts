import { APP_CONFIG, AppConfig } from '@app/config';
import { StreamedFile } from '@app/storage';
import {
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  UnprocessableEntityException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import sharp, { Metadata } from 'sharp';
import { findMarkup, IMAGE_MIME, ImageType, looksComplete, sniffImageType } from './image-sniff';

export interface InspectedPhoto {
  type: ImageType;
  mime: string;
  width: number;
  height: number;
}

/**
 * Checks an uploaded file before anything is kept: type by magic bytes, complete, free of
 * markup, header readable, dimensions within the pixel limit. Only headers are read (a fraction
 * of a millisecond); a decompression bomb is refused from its declared size, never decoded.
 */
@Injectable()
export class PhotoInspector {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async inspect(file: StreamedFile, label: string): Promise<InspectedPhoto> {
    const type = sniffImageType(file.head);
    if (!type) {
      throw new UnsupportedMediaTypeException(`${label} is not a JPEG, PNG, WebP or HEIC image`);
    }
    if (!looksComplete(type, file.head, file.tail, file.size)) {
      throw new UnprocessableEntityException(`${label} is truncated: the ${type.toUpperCase()} file ends too early`);
    }
    const markup = findMarkup(file.head, file.tail);
    if (markup) {
      throw new UnprocessableEntityException(`${label} carries web page markup ("${markup}") and is refused`);
    }
    let meta: Metadata;
    try {
      const early = file.headInfo as Promise<Metadata | undefined> | undefined;
      meta =
        (await (early ?? this.headerOf(file.head))) ?? (await sharp(file.path, { limitInputPixels: false }).metadata());
    } catch (e) {
      if (type === 'heic') throw heicRefused(label);
      throw new UnprocessableEntityException(`${label}: the image header cannot be read (${(e as Error).message})`);
    }
    const { width, height } = meta;
    if (!width || !height) throw new UnprocessableEntityException(`${label}: the image has no dimensions`);
    if (width * height > this.config.uploadMaxPixels) {
      throw new HttpException(
        `${label} is ${width}×${height} (${Math.round((width * height) / 1e6)} megapixels); at most ${
          this.config.uploadMaxPixels / 1e6
        } megapixels are accepted`,
        HttpStatus.UNPROCESSABLE_ENTITY,
      );
    }
    if (type === 'heic' || type === 'avif') await this.assertDecodable(file.path, type, label);
    return { type, mime: IMAGE_MIME[type], width, height };
  }

  /**
   * A JPEG's or PNG's header read from the file's first bytes, kept in memory while it streamed
   * (the upload starts this as soon as they are in, see `HashingDiskStorage`'s `onHead`): the
   * header comes before any image data, and a prefix of the file parses as the file does as far
   * as it goes. Undefined when that fails (the header does not fit in those bytes, a large EXIF
   * block say, or it is broken) or for other types (the WebP and HEIC readers want the whole
   * file): `inspect` reads the file itself then, and that decides. Never rejects.
   */
  async headerOf(head: Buffer): Promise<Metadata | undefined> {
    const type = sniffImageType(head);
    if (type !== 'jpeg' && type !== 'png') return undefined;
    try {
      const meta = await sharp(head, { limitInputPixels: false }).metadata();
      return meta.width && meta.height ? meta : undefined;
    } catch {
      return undefined;
    }
  }

  /** libheif reads HEIC headers even when it lacks the HEVC decoder; only a decode tells. */
  private async assertDecodable(path: string, type: ImageType, label: string): Promise<void> {
    try {
      await sharp(path, { limitInputPixels: this.config.uploadMaxPixels }).resize(8, 8).raw().toBuffer();
    } catch {
      if (type === 'heic') throw heicRefused(label);
      throw new UnprocessableEntityException(`${label}: the AVIF image cannot be decoded`);
    }
  }
}

function heicRefused(label: string): HttpException {
  return new UnsupportedMediaTypeException(
    `${label} is HEIC, which this server cannot decode; send JPEG (on an iPhone: Settings → Camera → Formats → Most Compatible)`,
  );
}
