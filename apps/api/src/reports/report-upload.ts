import { AppConfig } from '@app/config';
import { fileNameProblem, UploadStart } from '@app/reports';
import { HashingDiskStorage, PhotoStorage, UploadedFile } from '@app/storage';
import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';
import { Request, Response } from 'express';
import multer, { MulterError } from 'multer';

/** Field limits: the longest field is the comment (4,000 characters, up to 16 KB of UTF-8). */
const FIELD_LIMITS = { fields: 10, fieldSize: 64 * 1024, fieldNameSize: 100, headerPairs: 100 };

/**
 * Runs multer with disk storage on the storage volume (never memory): each photo streams to a
 * temporary file, hashed on the way; `start` gets the fields before the first photo and each
 * photo's first bytes as they arrive. Any refusal removes what was written; multer drains the
 * rest of the request so that the answer reaches the client.
 */
export function receivePhotos(
  req: Request,
  res: Response,
  storage: PhotoStorage,
  config: AppConfig,
  start?: UploadStart,
): Promise<{ body: Record<string, unknown>; files: UploadedFile[] }> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(new BadRequestException('Send the report as multipart/form-data with photos in "photos"'));
  }
  const upload = multer({
    storage: new HashingDiskStorage(storage, { onHead: start?.headOf, directIo: config.uploadDirectIo }),
    // Keep the name as sent, so that one with path parts is refused rather than cut to its last part.
    preservePath: true,
    limits: {
      ...FIELD_LIMITS,
      fileSize: config.uploadMaxFileBytes,
      files: config.uploadMaxFiles,
      parts: config.uploadMaxFiles + 10,
    },
    fileFilter: (_req, file, accept) => {
      if (file.fieldname !== 'photos')
        return accept(new BadRequestException(`Unexpected file field "${file.fieldname}"; send photos in "photos"`));
      const problem = fileNameProblem(file.originalname);
      if (problem) return accept(new BadRequestException(`The photo's file name ${problem}`));
      // The fields sent before this photo are in: the pre-checks' query can start meanwhile.
      start?.fieldsBeforePhotos({ ...(req.body as Record<string, unknown>) });
      accept(null, true);
    },
  }).array('photos', config.uploadMaxFiles);
  return new Promise((resolve, reject) => {
    upload(req, res, (err?: unknown) => {
      if (err) return reject(toHttpError(err, config));
      resolve({ body: { ...(req.body as Record<string, unknown>) }, files: (req.files as UploadedFile[]) ?? [] });
    });
  });
}

function toHttpError(err: unknown, config: AppConfig): HttpException {
  if (err instanceof HttpException) return err;
  if (err instanceof MulterError) {
    switch (err.code) {
      case 'LIMIT_FILE_SIZE':
        return new PayloadTooLargeException(`Each photo may be at most ${config.uploadMaxFileBytes / 1024 / 1024} MB`);
      case 'LIMIT_FILE_COUNT':
        return new PayloadTooLargeException(`At most ${config.uploadMaxFiles} photos per report`);
      case 'LIMIT_UNEXPECTED_FILE':
        return new BadRequestException(`Unexpected file field "${err.field}"; send photos in "photos"`);
      case 'LIMIT_FIELD_VALUE':
        return new PayloadTooLargeException(`The field "${err.field}" is too long`);
      default:
        return new BadRequestException(`Malformed upload: ${err.message}`);
    }
  }
  return new BadRequestException(`Malformed multipart request: ${(err as Error).message}`);
}
