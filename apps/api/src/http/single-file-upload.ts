import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';
import busboy from 'busboy';
import { Request } from 'express';
import { Readable } from 'node:stream';

const MAX_UPLOAD_BYTES = 1024 ** 3;

/**
 * Streams the one file of a multipart request straight into `consume`, with nothing held in
 * memory or on disk: for CSV files that PostgreSQL parses as they arrive. `consume` also gets
 * the name the client gave the file ('' if none), for callers that keep it (an import's
 * history); it never reaches a path. Any other file or a missing one is a 400; the request is
 * drained either way so the answer reaches the client.
 */
export function singleFileUpload<T>(
  req: Request,
  field: string,
  consume: (file: Readable, fileName: string) => Promise<T>,
): Promise<T> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(new BadRequestException(`Send the file as multipart/form-data in the field "${field}"`));
  }
  return new Promise<T>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: MAX_UPLOAD_BYTES, fields: 10 } });
    } catch (e) {
      reject(new BadRequestException(`Malformed multipart request: ${(e as Error).message}`));
      return;
    }
    let work: Promise<T> | undefined;
    let failure: HttpException | undefined;
    parser.on('file', (name, file, info) => {
      if (name !== field || work) {
        failure ??= new BadRequestException(`Unexpected file field "${name}"; send one file in "${field}"`);
        file.resume();
        return;
      }
      file.on('limit', () => file.destroy(new PayloadTooLargeException('The file is larger than 1 GB')));
      work = consume(file, info.filename ?? '');
      // A refusal may come while the file is still piped into a parser that stopped reading:
      // unpiped first, or the pipe's backpressure would hold it, and the request, forever.
      work.catch(() => {
        file.unpipe();
        file.resume();
      });
    });
    parser.on('error', (e: Error) => {
      failure ??= new BadRequestException(`Malformed multipart request: ${e.message}`);
      req.unpipe(parser);
      req.resume();
      settle();
    });
    parser.on('close', settle);
    req.pipe(parser);

    let settled = false;
    function settle(): void {
      if (settled) return;
      settled = true;
      if (failure) {
        (work ?? Promise.resolve()).catch(() => undefined).finally(() => reject(failure));
      } else if (!work) {
        reject(new BadRequestException(`No file in the field "${field}"`));
      } else {
        work.then(resolve, reject);
      }
    }
  });
}
