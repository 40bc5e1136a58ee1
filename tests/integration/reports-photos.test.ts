import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_PHOTO_BYTES } from '../../api/cases/photos/upload.ts';
import {
  bytesOf,
  CELL,
  db,
  duty,
  fields,
  formOf,
  fuyang,
  informant,
  JPEG,
  labelPoint,
  openReports,
  PNG,
  postForm,
  type ReportBody,
  rowCounts,
} from './reports-fixtures.ts';

beforeAll(openReports);

describe('photos', () => {
  it('stores photos with the type sniffed from their bytes (a PNG named .jpg stays a PNG) and serves them back privately', async () => {
    const response = await postForm(
      informant,
      formOf(fields(await labelPoint(CELL)), [
        { bytes: PNG, name: 'slope.jpg', type: 'image/jpeg' },
        { bytes: JPEG, name: 'road', type: 'application/octet-stream' },
      ]),
    );
    expect(response.status).toBe(201);
    const { report } = (await response.json()) as ReportBody;
    expect(report.photos.map((photo) => [photo.contentType, photo.byteSize])).toEqual([
      ['image/png', PNG.length],
      ['image/jpeg', JPEG.length],
    ]);
    const stored = await db.rows<{ contentType: string; sha256: string; cellCode: string }>(sql`
      SELECT content_type AS "contentType", sha256, cell_code AS "cellCode" FROM report_photos WHERE report_id = ${report.id} ORDER BY content_type DESC`);
    expect(stored).toEqual([
      { contentType: 'image/png', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), cellCode: CELL },
      { contentType: 'image/jpeg', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), cellCode: CELL },
    ]);

    const photo = await duty.get(report.photos[0]!.url);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('Content-Type')).toBe('image/png');
    expect(photo.headers.get('Cache-Control')).toMatch(/^private/);
    expect(new Uint8Array(await photo.arrayBuffer())).toEqual(PNG);
    // Outside the viewer's scope the photo does not exist.
    expect((await fuyang.get(report.photos[0]!.url)).status).toBe(404);
    expect((await duty.get(`/api/reports/${report.id}/photos/${randomUUID()}`)).status).toBe(404);
  });

  it.each([
    ['text claiming to be a JPEG', bytesOf('this is not a photo at all'), 'image/jpeg', 400, 'photo_not_an_image'],
    ['an SVG', bytesOf('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml', 400, 'photo_not_an_image'],
    ['an empty file', new Uint8Array(0), 'image/jpeg', 400, 'photo_empty'],
    ['a photo over 8 MB', new Uint8Array(MAX_PHOTO_BYTES + 1).fill(0xff), 'image/jpeg', 413, 'photo_too_large'],
  ])('refuses %s and writes nothing', async (_name, bytes, type, status, code) => {
    const before = await rowCounts();
    const response = await postForm(
      informant,
      formOf(fields(await labelPoint(CELL)), [
        { bytes: JPEG, name: 'ok.jpg', type: 'image/jpeg' },
        { bytes, name: 'photo.jpg', type },
      ]),
    );
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a 50 MB photo with 413 before parsing, in our error shape, and writes nothing', async () => {
    const before = await rowCounts();
    const huge = new Uint8Array(50 * 1024 * 1024);
    huge.set(JPEG);
    const response = await postForm(
      informant,
      formOf(fields(await labelPoint(CELL)), [{ bytes: huge, name: 'huge.jpg', type: 'image/jpeg' }]),
      {
        'Accept-Language': 'en',
      },
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: { code: 'request_too_large', message: expect.stringMatching(/40 MB/), details: { maxBytes: 40 * 1024 * 1024 } },
    });
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses more than six photos', async () => {
    const before = await rowCounts();
    const seven = Array.from({ length: 7 }, (_, index) => ({ bytes: PNG, name: `${index}.png`, type: 'image/png' }));
    const response = await postForm(informant, formOf(fields(await labelPoint(CELL)), seven));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('too_many_photos');
    expect(await rowCounts()).toEqual(before);
  });
});
