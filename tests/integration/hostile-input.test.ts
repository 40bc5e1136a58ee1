import { beforeAll, describe, expect, it } from 'vitest';
import { app, county, informant, NUL, openHostileInput, writtenRows } from './hostile-input-fixtures.ts';

beforeAll(openHostileInput);

describe('input that once answered 500', () => {
  it.each([
    [
      'Origin: null',
      'POST',
      '/api/auth/login',
      { username: 'x', password: 'y' },
      { Origin: 'null' },
      403,
      'cross_origin_request',
    ],
    [
      'Origin not a URL',
      'POST',
      '/api/auth/login',
      { username: 'x', password: 'y' },
      { Origin: 'not a url' },
      403,
      'cross_origin_request',
    ],
    ['Origin not a URL, signed in', 'PUT', '/api/drill', { running: false }, { Origin: 'http://' }, 403, 'cross_origin_request'],
    [
      'NUL in the sign-in username',
      'POST',
      '/api/auth/login',
      { username: `a${NUL}`, password: 'y' },
      {},
      400,
      'invalid_characters',
    ],
    ['NUL in the search', 'GET', '/api/areas/search?q=a%00b', undefined, {}, 400, 'invalid_characters'],
    ['NUL in the case text filter', 'GET', '/api/cases?text=%00', undefined, {}, 400, 'invalid_characters'],
    ['NUL in an id in the path', 'GET', '/api/cases/a%00b', undefined, {}, 400, 'invalid_characters'],
    ['NUL in an audit filter', 'GET', '/api/audit?actor=%00', undefined, {}, 400, 'invalid_characters'],
    ['year 99999', 'GET', '/api/cases?from=99999', undefined, {}, 400, 'invalid_request'],
    ['year -1', 'GET', '/api/cases?to=-000001-01-01', undefined, {}, 400, 'invalid_request'],
    ['year 275760', 'GET', '/api/cases/export.csv?to=275760-09-13', undefined, {}, 400, 'invalid_request'],
    ['year 275760 in the audit export', 'GET', '/api/audit/export.csv?from=275760-09-13', undefined, {}, 400, 'invalid_request'],
    ['a date with no year', 'GET', '/api/audit?from=May%2011', undefined, {}, 400, 'invalid_request'],
    ['tile layer __proto__', 'GET', '/tiles/__proto__.json', undefined, {}, 404, 'unknown_tile_layer'],
    ['tile layer constructor', 'GET', '/tiles/constructor/8/200/100.mvt', undefined, {}, 404, 'unknown_tile_layer'],
    ['a hex page size', 'GET', '/api/cases?pageSize=0x10', undefined, {}, 400, 'invalid_request'],
    ['a page in exponent form', 'GET', '/api/audit?page=1e3', undefined, {}, 400, 'invalid_request'],
  ])('%s: %s %s answers %s', async (_name, method, path, body, headers, status, code) => {
    const response = await county.request(method as string, path as string, body, headers as Record<string, string>);
    expect({ status: response.status, code: (await response.json()).error?.code }).toEqual({ status, code });
  });

  it('reads a date with a four-digit year as before', async () => {
    const response = await county.get('/api/cases?from=2020-01-01&to=2099-12-31T23:59:59%2B08:00&pageSize=1');
    expect(response.status).toBe(200);
  });

  it('refuses a NUL in a report’s description, sent as JSON or as a form, and writes nothing', async () => {
    const before = await writtenRows();
    const fields = {
      clientId: crypto.randomUUID(),
      type: 'landslide',
      urgency: 'urgent',
      description: `落石${NUL}`,
      lng: '107.2',
      lat: '32.2',
    };
    const json = await informant.request('POST', '/api/reports', fields);
    expect(json.status).toBe(400);
    const form = new FormData();
    for (const [name, value] of Object.entries({ ...fields, clientId: crypto.randomUUID() })) form.set(name, value);
    const multipart = await informant.request('POST', '/api/reports', form);
    expect({ status: multipart.status, code: (await multipart.json()).error.code }).toEqual({
      status: 400,
      code: 'invalid_characters',
    });
    expect(await writtenRows()).toBe(before);
  });

  it('reads coordinates in decimal only: "0x6b" is not 107', async () => {
    const response = await informant.request('POST', '/api/reports', {
      clientId: crypto.randomUUID(),
      type: 'landslide',
      urgency: 'urgent',
      description: '十六进制坐标',
      lng: '0x6b',
      lat: '32.2',
    });
    expect({ status: response.status, code: (await response.json()).error.code }).toEqual({
      status: 400,
      code: 'invalid_request',
    });
  });

  it.each([
    ['a 20 MB sign-in', 'POST', '/api/auth/login', 20 * 1024 * 1024],
    ['a 28 MB control zone', 'PUT', '/api/cases/00000000-0000-4000-8000-000000000000/control-zone', 28 * 1024 * 1024],
    ['a 1 MB action', 'POST', '/api/cases/00000000-0000-4000-8000-000000000000/actions', 1024 * 1024],
  ])('refuses %s by its length, before reading it', async (_name, method, path, bytes) => {
    const body = `{"padding":"${'x'.repeat(bytes)}"}`;
    const response = await app.request(`http://localhost${path}`, {
      method,
      headers: {
        Cookie: county.cookieHeader(),
        'X-CSRF-Token': county.csrfToken ?? '',
        'Content-Type': 'application/json',
        'Content-Length': String(body.length),
        Origin: 'http://localhost',
        Host: 'localhost',
      },
      body,
    });
    expect({ status: response.status, code: (await response.json()).error.code }).toEqual({
      status: 413,
      code: 'request_too_large',
    });
  });

  it('refuses an oversized body that does not say its length, while it streams', async () => {
    const chunk = new TextEncoder().encode(`{"username":"${'a'.repeat(8000)}`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await app.request('http://localhost/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'http://localhost', Host: 'localhost' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });
});
