import { Response } from 'express';

/** Sends CSV as a download named after the election, with a BOM so spreadsheets read Cyrillic. */
export function sendCsv(res: Response, fileName: string, body: string): string {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`);
  return `\ufeff${body}`;
}
