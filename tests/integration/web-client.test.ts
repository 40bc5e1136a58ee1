import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrecompressedFile, precompressFolder } from '../../api/web-client/precompress.ts';
import { acceptedCodings } from '../../api/web-client/static-files.ts';
import { testApp } from './support/test-database.ts';

/** A built client in miniature: the shell, a hashed script and stylesheet, a font, a small unhashed file. */
const SCRIPT = `export function report(place){return fetch('/api/reports',{method:'POST',body:JSON.stringify(place)})}\n`.repeat(
  300,
);
const STYLE = '.field-page .button{min-height:3rem;background:var(--surface);color:var(--text)}\n'.repeat(200);
const SHELL = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>通江县网格化管理指挥中心</title>${'<meta name="x" content="padding">'.repeat(40)}</head><body><div id="root"></div><script type="module" src="/assets/index-abc123.js"></script></body></html>`;
const FONT = randomBytes(4096);

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

let root: string;
let written: PrecompressedFile[];
let server: ReturnType<typeof serve>;
let port: number;
let close: () => Promise<void>;

/** A request as it leaves a browser, on a real socket, with the bytes as they came (nothing decoded). */
function request(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request({ host: '127.0.0.1', port, path, method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gcc-web-client-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), SHELL);
  writeFileSync(join(root, 'assets/index-abc123.js'), SCRIPT);
  writeFileSync(join(root, 'assets/index-def456.css'), STYLE);
  writeFileSync(join(root, 'assets/noto-sans-sc-latin-400-normal-x1.woff2'), FONT);
  writeFileSync(join(root, 'robots.txt'), 'User-agent: *\n');
  writeFileSync(join(root, '.env'), 'SECRET=1\n');
  written = await precompressFolder(root);
  const { app } = await testApp({ webRoot: root });
  close = () => app.close();
  await new Promise<void>((listening) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => listening());
  });
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((closed) => server?.close(closed));
  await close?.();
  rmSync(root, { recursive: true, force: true });
});

describe('precompressing the build', () => {
  it('writes a smaller Brotli and gzip copy beside each text file over 1 KB, and none beside fonts or tiny files', () => {
    const byPath = new Map(written.map((file) => [file.path, file]));
    expect([...byPath.keys()].sort()).toEqual(['assets/index-abc123.js', 'assets/index-def456.css', 'index.html']);
    for (const file of written) {
      expect(file.br).toBeLessThan(file.bytes);
      expect(file.gzip).toBeLessThan(file.bytes);
      const original = readFileSync(join(root, file.path));
      expect(brotliDecompressSync(readFileSync(join(root, `${file.path}.br`)))).toEqual(original);
      expect(gunzipSync(readFileSync(join(root, `${file.path}.gz`)))).toEqual(original);
    }
  });
});

describe('accepted codings', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['gzip, deflate, br', ['br', 'gzip']],
    ['gzip, deflate, br, zstd', ['br', 'gzip']],
    ['gzip', ['gzip']],
    ['br;q=0, gzip', ['gzip']],
    ['gzip;q=1.0, br;q=0.5', ['gzip', 'br']],
    ['*', ['br', 'gzip']],
    ['*;q=0', []],
    ['identity', []],
    ['BR', ['br']],
    ['x-gzip', ['gzip']],
  ] as [string | undefined, string[]][])('Accept-Encoding %j → %j', (header, codings) => {
    expect(acceptedCodings(header)).toEqual(codings);
  });
});

describe('serving the built client on a real socket', () => {
  const script = '/assets/index-abc123.js';

  it('sends Brotli to a browser that accepts it, with its length, type, Vary and a year of cache', async () => {
    const response = await request(script, { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers.vary).toBe('Accept-Encoding');
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Number(response.headers['content-length'])).toBe(response.body.length);
    expect(response.body.length).toBe(written.find((file) => file.path === 'assets/index-abc123.js')?.br);
    expect(brotliDecompressSync(response.body).toString()).toBe(SCRIPT);
  });

  it('sends gzip where Brotli is not accepted, and the file itself where nothing is', async () => {
    const gzip = await request(script, { 'Accept-Encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(Number(gzip.headers['content-length'])).toBe(gzip.body.length);
    expect(gunzipSync(gzip.body).toString()).toBe(SCRIPT);

    const refused = await request(script, { 'Accept-Encoding': 'br;q=0, gzip;q=0' });
    const plain = await request(script);
    for (const response of [refused, plain]) {
      expect(response.status).toBe(200);
      expect(response.headers['content-encoding']).toBeUndefined();
      expect(response.headers.vary).toBe('Accept-Encoding');
      expect(response.headers['content-length']).toBe(String(Buffer.byteLength(SCRIPT)));
      expect(response.body.toString()).toBe(SCRIPT);
    }
  });

  it('answers HEAD with the same headers and no body', async () => {
    const get = await request(script, { 'Accept-Encoding': 'br' });
    const head = await request(script, { 'Accept-Encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const name of ['content-encoding', 'content-length', 'content-type', 'vary', 'etag', 'cache-control']) {
      expect(head.headers[name], name).toBe(get.headers[name]);
    }
  });

  it('answers a matching If-None-Match with 304, per encoding', async () => {
    const first = await request(script, { 'Accept-Encoding': 'br' });
    const etag = first.headers.etag!;
    const again = await request(script, { 'Accept-Encoding': 'br', 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.vary).toBe('Accept-Encoding');
    // The gzip copy is other bytes: the Brotli copy's tag does not stand for it.
    const other = await request(script, { 'Accept-Encoding': 'gzip', 'If-None-Match': etag });
    expect(other.status).toBe(200);
    expect(other.headers['content-encoding']).toBe('gzip');
  });

  it('sends the stylesheet precompressed too, and a font as it is without Vary', async () => {
    const style = await request('/assets/index-def456.css', { 'Accept-Encoding': 'br' });
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(style.headers['content-encoding']).toBe('br');
    const font = await request('/assets/noto-sans-sc-latin-400-normal-x1.woff2', { 'Accept-Encoding': 'gzip, br' });
    expect(font.status).toBe(200);
    expect(font.headers['content-type']).toBe('font/woff2');
    expect(font.headers['content-encoding']).toBeUndefined();
    expect(font.headers.vary).toBeUndefined();
    expect(font.body).toEqual(FONT);
  });

  it('sends the app shell for page paths, checked before each use, and never caches it for long', async () => {
    for (const path of ['/', '/field', '/cases/abc', '/index.html']) {
      const response = await request(path, { 'Accept-Encoding': 'gzip, br' });
      expect(response.status, path).toBe(200);
      expect(response.headers['content-type'], path).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control'], path).toBe('no-cache');
      expect(brotliDecompressSync(response.body).toString(), path).toBe(SHELL);
    }
    const robots = await request('/robots.txt');
    expect(robots.headers['cache-control']).toBe('no-cache');
    expect(robots.body.toString()).toBe('User-agent: *\n');
  });

  it('answers 404 for a missing chunk and an unknown API path, never with the shell', async () => {
    for (const path of ['/assets/index-old999.js', '/api/nothing-here']) {
      const response = await request(path, { 'Accept-Encoding': 'gzip, br' });
      expect(response.status, path).toBe(404);
      expect(response.headers['content-type'], path).toContain('application/json');
    }
    // A tile path is the API's to answer (here: not signed in), whatever it names.
    const tile = await request('/tiles/nothing/1/2/3.mvt');
    expect(tile.status).toBe(401);
    expect(tile.headers['content-type']).toContain('application/json');
  });

  it('serves nothing outside the folder and no hidden file', async () => {
    for (const path of [
      '/assets/%2e%2e/%2e%2e/package.json',
      '/..%2f..%2fpackage.json',
      '/.env',
      '/assets/..%5c..%5cpackage.json',
    ]) {
      const response = await request(path);
      expect(response.body.toString(), path).not.toContain('SECRET');
      expect(response.body.toString(), path).not.toContain('"name"');
    }
  });
});
