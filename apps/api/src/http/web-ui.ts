import { INestApplication, Logger } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where `npm run build:web` puts the browser UI. */
export const WEB_DIST = resolve(process.env.WEB_DIST_DIR ?? 'dist/web');

/**
 * What the UI's pages may load: only its own scripts, styles, API and images, plus the blob:
 * URLs of photos picked for upload and of charts drawn for download. Inline styles stay allowed
 * for the charts' SVG, which is drawn into a canvas through such a URL.
 */
export const WEB_UI_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'blob:', 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * Serves the built web UI at `/` with a fallback to index.html for client-side routes. The
 * API keeps `/api`. Hashed assets are cached for a year; index.html never.
 */
export function serveWebUi(app: INestApplication, dir = WEB_DIST): void {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    new Logger('WebUi').warn(`No web UI at ${dir}; run "npm run build:web"`);
    return;
  }
  const files = express.static(dir, {
    index: false,
    setHeaders: (res, path) =>
      res.setHeader('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  const policy = helmet.contentSecurityPolicy({ useDefaults: false, directives: WEB_UI_CSP });
  app.use((req: Request, res: Response, next: NextFunction) => (isApi(req) ? next() : policy(req, res, next)));
  // API requests never look for a file: each look is a stat on libuv's thread pool, which the
  // uploads' writes and fsyncs need.
  app.use((req: Request, res: Response, next: NextFunction) => (isApi(req) ? next() : files(req, res, next)));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || isApi(req) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

function isApi(req: Request): boolean {
  return req.path === '/api' || req.path.startsWith('/api/');
}
