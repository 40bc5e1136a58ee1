import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import type { Database } from '../../api/db/client.ts';
import type { LngLat } from '../../geo/types.ts';
import { once } from './support/once.ts';
import { fromAddress, signedInBrowser, TEST_PASSWORD, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

type App = Awaited<ReturnType<typeof testApp>>['app'];
export let app: App;
export let db: Database;
export let informant: TestBrowser;
export let duty: TestBrowser;
/** A township commander of 涪阳镇: everything in 沙溪镇 is outside its scope. */
export let fuyang: TestBrowser;

/** The informant's cell (王坪村第1网格1单元) and a neighbouring cell of the same grid. */
export const CELL = '511921108209001001';
export const NEIGHBOUR_CELL = '511921108209001002';
/** 红江村 (涪阳镇): outside every 沙溪镇 scope. */
export const FUYANG_VILLAGE = '511921112200';

export async function labelPoint(code: string): Promise<LngLat> {
  const [row] = await db.rows<{ lng: number; lat: number }>(
    sql`SELECT ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM areas WHERE code = ${code}`,
  );
  if (!row) throw new Error(`no area ${code}`);
  return [row.lng, row.lat];
}

/** Rows of every table a report writes to, to show that a refused request wrote nothing. */
export async function rowCounts() {
  const [row] = await db.rows<Record<string, number>>(sql`
    SELECT (SELECT count(*)::int FROM reports) AS reports, (SELECT count(*)::int FROM case_steps) AS steps,
      (SELECT count(*)::int FROM report_photos) AS photos, (SELECT count(*)::int FROM live_events) AS events`);
  return row!;
}

export function fields(position: LngLat, overrides: Record<string, unknown> = {}) {
  return {
    clientId: randomUUID(),
    type: 'landslide',
    urgency: 'urgent',
    description: '省道旁边坡有落石，岩体松动',
    lng: position[0],
    lat: position[1],
    ...overrides,
  };
}

/** Sends a multipart request as the browser's session would, with the session cookie and CSRF token. */
export function postForm(browser: TestBrowser, form: FormData | string, headers: Record<string, string> = {}) {
  return app.request(
    'http://localhost/api/reports',
    {
      method: 'POST',
      headers: {
        Cookie: browser.cookieHeader(),
        'X-CSRF-Token': browser.csrfToken ?? '',
        Origin: 'http://localhost',
        Host: 'localhost',
        ...headers,
      },
      body: form,
    },
    fromAddress('127.0.0.2'),
  );
}

export function formOf(
  values: Record<string, unknown>,
  photos: { bytes: Uint8Array<ArrayBuffer>; name: string; type: string }[] = [],
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(values)) form.append(name, String(value));
  for (const photo of photos) form.append('photos', new Blob([photo.bytes], { type: photo.type }), photo.name);
  return form;
}

export const bytesOf = (...values: (number | string)[]) =>
  new Uint8Array(values.flatMap((value) => (typeof value === 'string' ? [...value].map((char) => char.charCodeAt(0)) : [value])));
/** A 1x1 PNG, byte for byte. */
export const PNG = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
);
/** The start of a JFIF JPEG (the server sniffs the first bytes only). */
export const JPEG = bytesOf(
  0xff,
  0xd8,
  0xff,
  0xe0,
  0x00,
  0x10,
  'JFIF',
  0x00,
  0x01,
  0x01,
  0x00,
  0x00,
  0x01,
  0x00,
  0x01,
  0x00,
  0x00,
  0xff,
  0xd9,
);

export interface ReportBody {
  report: {
    id: string;
    caseNumber: string;
    clientId: string;
    state: string;
    responsibleLevel: string;
    source: string;
    position: [number, number];
    inputDatum: string;
    areas: Record<'cell' | 'grid' | 'village' | 'township', { code: string; name: string }>;
    reportedAt: string;
    clockStage: string;
    dueAt: string;
    description: string;
    controlZone: { type: 'Polygon'; coordinates: number[][][] };
    photos: { id: string; contentType: string; byteSize: number; url: string }[];
  };
}

/** Opens the app and signs in the accounts of these tests. */
export const openReports = once(async () => {
  ({ app, db } = await testApp());
  informant = await signedInBrowser(app, 't-informant');
  duty = await signedInBrowser(app, 't-duty');
  await createAccountAsSystem(db, {
    username: 'reports-fuyang',
    displayName: '涪阳指挥长',
    role: 'township_commander',
    scopeCode: '511921112',
    password: TEST_PASSWORD,
  });
  fuyang = await signedInBrowser(app, 'reports-fuyang');
});
