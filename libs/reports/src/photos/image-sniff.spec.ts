import { randomBytes } from 'node:crypto';
import { findMarkup } from './image-sniff';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('findMarkup', () => {
  it.each([
    ['<script>alert(1)</script>', '<script>'],
    ['<SCRIPT src=x>', '<script'],
    ['<script/src=x>', '<script/'],
    ['<html>', '<html>'],
    ['<!DOCTYPE  html>', '<!doctype  html'],
    ['<iframe src=x>', '<iframe'],
    ['<body onload=x>', '<body'],
    ['<svg>', '<svg>'],
    ['href="JavaScript:alert(1)"', 'javascript:'],
    ['<object data=x>', '<object'],
    ['<embed src=x>', '<embed'],
    ['<img src=x onerror=alert(1)>', 'onerror='],
    ['<img src=x ONLOAD = alert(1)>', 'onload ='],
  ])('finds %j', (text, found) => {
    expect(findMarkup(Buffer.concat([randomBytes(100).fill(0x41), bytes(text), bytes(' rest')]))).toBe(found);
  });

  it.each(['<scripts', '<htmlx', 'myjavascript', 'onloaded=', 'xonload=', '<svgz', 'doctype html', '<scr ipt>'])(
    'passes %j',
    (text) => {
      expect(findMarkup(bytes(text))).toBeUndefined();
    },
  );

  it('searches every part in order and reports the first part with markup', () => {
    expect(findMarkup(bytes('plain'), bytes('<svg>'), bytes('<html>'))).toBe('<svg>');
    expect(findMarkup(bytes('<html> and <script>'), bytes('<svg>'))).toBe('<html>');
    expect(findMarkup(bytes('plain'), bytes('more'))).toBeUndefined();
    expect(findMarkup()).toBeUndefined();
  });

  it('reads bytes as latin1: no non-ASCII letter stands in for an ASCII one', () => {
    // U+017F (long s) upper-cases to "S" and U+212A (Kelvin) lower-cases to "k"; in latin1
    // neither can occur, and 0xD3 / 0xF3 (Ó / ó) are not "o".
    expect(findMarkup(Buffer.from([0x3c, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74, 0x3e]))).toBe('<script>');
    expect(findMarkup(Buffer.from([0x3c, 0xd3, 0x62, 0x6a, 0x65, 0x63, 0x74, 0x20]))).toBeUndefined();
    expect(findMarkup(Buffer.from([0x3c, 0xf3, 0x62, 0x6a, 0x65, 0x63, 0x74, 0x20]))).toBeUndefined();
  });

  it('finds nothing in random bytes around markup-free text, and markup at the very end', () => {
    const noise = Buffer.from(randomBytes(64 * 1024).map((b) => (b === 0x3c || b === 0x20 ? 0x41 : b)));
    expect(findMarkup(noise)).toBeUndefined();
    expect(findMarkup(Buffer.concat([noise, bytes('<html>')]))).toBe('<html>');
  });
});
