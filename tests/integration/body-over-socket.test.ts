import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app, caseId, county, openHostileInput, writtenRows } from './hostile-input-fixtures.ts';

// The body checks (api/http/body-limits.ts, unstorable-text.ts) read a body off the socket as
// @hono/node-server hands it over: by its Content-Length, or in chunks. In-process requests
// (app.request) build a web Request instead, so these go through a real server.
let server: ReturnType<typeof serve>;
let port: number;

beforeAll(async () => {
  await openHostileInput();
  await new Promise<void>((listening) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => listening());
  });
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((closed) => server?.close(closed));
});

/** POSTs `chunks` as the county, with a Content-Length when `sized`, else chunked; the status and the error code. */
function post(path: string, chunks: string[], sized: boolean): Promise<{ status: number; code: string | undefined }> {
  const bytes = chunks.reduce((sum, chunk) => sum + Buffer.byteLength(chunk), 0);
  return new Promise((answered, failed) => {
    const sent = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        headers: {
          Cookie: county.cookieHeader(),
          'X-CSRF-Token': county.csrfToken ?? '',
          Origin: `http://127.0.0.1:${port}`,
          'Content-Type': 'application/json',
          ...(sized ? { 'Content-Length': String(bytes) } : { 'Transfer-Encoding': 'chunked' }),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => {
          const code = (JSON.parse(text || '{}') as { error?: { code?: string } }).error?.code;
          answered({ status: response.statusCode ?? 0, code });
        });
      },
    );
    sent.on('error', failed);
    for (const chunk of chunks) sent.write(chunk);
    sent.end();
  });
}

describe('a JSON body read off the socket', () => {
  const actions = () => `/api/cases/${caseId}/actions`;

  it.each([
    ['by its length', true],
    ['in chunks', false],
  ])('reaches the route once checked, %s: its fields are read', async (_how, sized) => {
    const before = await writtenRows();
    // An action of no known kind: the route's own validation answers, so it read the body.
    expect(await post(actions(), ['{"action":', '"no-such-action"}'], sized)).toEqual({ status: 400, code: 'invalid_request' });
    expect(await writtenRows()).toBe(before);
  });

  it.each([
    ['by its length', true],
    ['in chunks', false],
  ])('is refused with NUL in a string, %s, before the route', async (_how, sized) => {
    const before = await writtenRows();
    expect(await post(actions(), ['{"action":"comment",', '"note":"a\\u0000b"}'], sized)).toEqual({
      status: 400,
      code: 'invalid_characters',
    });
    expect(await writtenRows()).toBe(before);
  });

  it.each([
    ['by its length', true],
    ['in chunks', false],
  ])('is refused over its allowance (64 KB here), %s', async (_how, sized) => {
    const padding = 'x'.repeat(16 * 1024);
    const chunks = ['{"action":"comment","note":"', padding, padding, padding, padding, padding, '"}'];
    expect(await post(actions(), chunks, sized)).toEqual({ status: 413, code: 'request_too_large' });
  });

  it('is answered 400 when it is not JSON', async () => {
    expect(await post(actions(), ['{"action":'], true)).toMatchObject({ status: 400 });
  });
});
