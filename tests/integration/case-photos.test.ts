import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { insertTestReport } from './support/reports.ts';
import { signedInBrowser, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

/** 王坪村's first grid, first cell: inside t-worker's scope. */
const CELL = '511921108209001001';
/** 红江村 (涪阳镇): outside it. */
const OUTSIDE_CELL = '511921112200001001';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
/** The same image, one byte different after its end: another photo to the server. */
const OTHER_PNG = Buffer.concat([PNG, Buffer.from([0])]);

function formOf(...files: { bytes: Buffer; name: string; type: string }[]): FormData {
  const form = new FormData();
  for (const file of files) form.append('photos', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  return form;
}

let db: Database;
let worker: TestBrowser;

beforeAll(async () => {
  const { app, db: database } = await testApp();
  db = database;
  worker = await signedInBrowser(app, 't-worker');
});

const photoCount = async (reportId: string) =>
  (await db.rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM report_photos WHERE report_id = ${reportId}`))[0]!
    .count;

describe('photos of a case step', () => {
  it('stores them for an open case, gives a retried upload the same ids, and the step shows them', async () => {
    const { id } = await insertTestReport(db, { cellCode: CELL, type: 'road_damage' });
    const upload = () =>
      worker.request('POST', `/api/cases/${id}/photos`, formOf({ bytes: PNG, name: 'before.png', type: 'image/png' }));
    const first = await upload();
    expect(first.status).toBe(201);
    const { photos } = (await first.json()) as { photos: { id: string; contentType: string; byteSize: number; url: string }[] };
    expect(photos).toEqual([
      {
        id: expect.any(String),
        contentType: 'image/png',
        byteSize: PNG.length,
        url: `/api/reports/${id}/photos/${photos[0]!.id}`,
      },
    ]);
    const again = (await (await upload()).json()) as { photos: { id: string }[] };
    expect(again.photos.map((photo) => photo.id)).toEqual([photos[0]!.id]);
    expect(await photoCount(id)).toBe(1);

    const served = await worker.get(photos[0]!.url);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);

    const [{ version }] = (await db.rows<{ version: number }>(sql`SELECT version FROM reports WHERE id = ${id}`)) as [
      { version: number },
    ];
    const handled = await worker.request('POST', `/api/cases/${id}/actions`, {
      action: 'on_spot',
      clientId: randomUUID(),
      version,
      note: '已清理路面并设置警示',
      photoIds: [photos[0]!.id],
    });
    expect(handled.status).toBe(200);
    const { case: detail } = (await handled.json()) as { case: { steps: { action: string; photoIds: string[] }[] } };
    expect(detail.steps.find((step) => step.action === 'on_spot')?.photoIds).toEqual([photos[0]!.id]);
  });

  it.each([
    ['no photo at all', formOf(), 400, 'photo_count'],
    [
      'text claiming to be a PNG',
      formOf({ bytes: Buffer.from('not an image'), name: 'x.png', type: 'image/png' }),
      400,
      'photo_not_an_image',
    ],
    ['JSON instead of a form', { photos: [] }, 415, 'unsupported_media_type'],
  ] as const)('refuses %s and stores nothing', async (_name, body, status, code) => {
    const { id } = await insertTestReport(db, { cellCode: CELL });
    const response = await worker.request('POST', `/api/cases/${id}/photos`, body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(await photoCount(id)).toBe(0);
  });

  it('answers 404 for a case outside the scope and 409 for a finished one, storing nothing', async () => {
    const outside = await insertTestReport(db, { cellCode: OUTSIDE_CELL });
    const form = () => formOf({ bytes: OTHER_PNG, name: 'a.png', type: 'image/png' });
    expect((await worker.request('POST', `/api/cases/${outside.id}/photos`, form())).status).toBe(404);
    expect(await photoCount(outside.id)).toBe(0);

    const closed = await insertTestReport(db, { cellCode: CELL, state: 'closed' });
    const refused = await worker.request('POST', `/api/cases/${closed.id}/photos`, form());
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('case_finished');
    expect(await photoCount(closed.id)).toBe(0);
  });
});
