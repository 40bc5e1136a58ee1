import { describe, expect, it } from 'vitest';
import { sniffPhotoType } from './photo-type.ts';

const bytes = (...values: (number | string)[]) =>
  new Uint8Array(values.flatMap((value) => (typeof value === 'string' ? [...value].map((char) => char.charCodeAt(0)) : [value])));

describe('sniffPhotoType', () => {
  it.each([
    ['a JPEG (JFIF)', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF'), 'image/jpeg'],
    ['a JPEG (Exif)', bytes(0xff, 0xd8, 0xff, 0xe1, 0x12, 0x34, 'Exif'), 'image/jpeg'],
    ['a PNG', bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 'IHDR'), 'image/png'],
    ['a WebP', bytes('RIFF', 0x24, 0, 0, 0, 'WEBPVP8 '), 'image/webp'],
    ['text', bytes('hello, this is not a photo'), null],
    ['a GIF', bytes('GIF89a', 1, 0, 1, 0), null],
    ['a WAV (RIFF but not WebP)', bytes('RIFF', 0x24, 0, 0, 0, 'WAVEfmt '), null],
    ['a truncated JPEG marker', bytes(0xff, 0xd8), null],
    ['a truncated PNG signature', bytes(0x89, 'PNG', 0x0d), null],
    ['nothing', bytes(), null],
    ['an SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'), null],
  ])('%s is %s', (_name, input, expected) => {
    expect(sniffPhotoType(input)).toBe(expected);
  });
});
