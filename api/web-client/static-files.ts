import { readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Context, MiddlewareHandler } from 'hono';
import { getMimeType } from 'hono/utils/mime';
import type { AppEnv } from '../app-env.ts';
import { type ContentCoding, ENCODING_SUFFIXES, isCompressible } from './precompress.ts';

/** Hashed build output: a name is never reused for other bytes, so the browser keeps it for a year without asking. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The app shell and unhashed files: kept, but checked (by ETag) before each use, so a new build is seen at once. */
const REVALIDATE = 'no-cache';
const ASSETS_PREFIX = '/assets/';
/** Paths that belong to the API: an unknown one is a JSON 404, never the app shell. */
const API_PREFIXES = ['/api/', '/tiles/'];

interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
}

async function regularFile(path: string): Promise<FoundFile | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size, mtimeMs: info.mtimeMs } : null;
  } catch {
    return null;
  }
}

/** The file a URL path names inside `root`; null for anything outside it, hidden (a dot segment) or not a file. */
async function fileAt(root: string, urlPath: string): Promise<FoundFile | null> {
  const segments = urlPath.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment.startsWith('.') || segment.includes('\\') || segment.includes('\0'))) return null;
  const path = join(root, ...segments);
  if (!path.startsWith(root + sep)) return null;
  return regularFile(path);
}

/**
 * The content codings the client accepts, best first, from its Accept-Encoding (RFC 9110 §12.5.3):
 * by q-value, Brotli before gzip at equal weight; `*` stands for any coding not named; `q=0` refuses.
 */
export function acceptedCodings(header: string | undefined): ContentCoding[] {
  if (!header) return [];
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((param) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    weights.set(name.trim(), Number.isFinite(weight) ? weight : 0);
  }
  const preference: ContentCoding[] = ['br', 'gzip'];
  const weightOf = (coding: ContentCoding) =>
    weights.get(coding) ?? weights.get(coding === 'gzip' ? 'x-gzip' : coding) ?? weights.get('*') ?? 0;
  return preference
    .filter((coding) => weightOf(coding) > 0)
    .sort((a, b) => weightOf(b) - weightOf(a) || preference.indexOf(a) - preference.indexOf(b));
}

function etagOf(file: FoundFile, coding: ContentCoding | null): string {
  return `"${file.size.toString(36)}-${Math.floor(file.mtimeMs).toString(36)}${coding ? `-${coding}` : ''}"`;
}

function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

/**
 * Sends one file of the built client: the `.br` or `.gz` written beside it at build time when the
 * client accepts that coding (with Content-Encoding), else the file itself; `Vary: Accept-Encoding`
 * on every file that has variants, so a cache between keeps them apart. HEAD gets the same
 * headers, Content-Length included, and no body; a matching If-None-Match gets 304.
 */
async function send(c: Context<AppEnv>, file: FoundFile, cacheControl: string): Promise<Response> {
  let sent = file;
  let coding: ContentCoding | null = null;
  const headers = new Headers({
    'Content-Type': getMimeType(file.path) ?? 'application/octet-stream',
    'Cache-Control': cacheControl,
    'X-Content-Type-Options': 'nosniff',
  });
  if (isCompressible(file.path)) {
    headers.set('Vary', 'Accept-Encoding');
    for (const accepted of acceptedCodings(c.req.header('Accept-Encoding'))) {
      const variant = await regularFile(`${file.path}${ENCODING_SUFFIXES[accepted]}`);
      if (!variant) continue;
      sent = variant;
      coding = accepted;
      headers.set('Content-Encoding', accepted);
      break;
    }
  }
  const etag = etagOf(sent, coding);
  headers.set('ETag', etag);
  if (matchesEtag(c.req.header('If-None-Match'), etag)) return new Response(null, { status: 304, headers });
  headers.set('Content-Length', String(sent.size));
  if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers });
  let body: Buffer;
  try {
    body = await readFile(sent.path);
  } catch {
    // Removed between the look and the read (a build in progress): as if it had never been there.
    return c.notFound();
  }
  headers.set('Content-Length', String(body.length));
  return new Response(new Uint8Array(body), { status: 200, headers });
}

/**
 * Serves the built web client from `root` (dist/web): its files as they are on disk, looked up per
 * request so a new build is served without a restart; any other path outside the API gets the app
 * shell (index.html), since the client keeps its pages in the path and its state in the hash. A
 * missing file under /assets/ is a 404, not the shell: a page asking for a chunk of an older build
 * must see it fail, not parse HTML as JavaScript.
 */
export function webClient(root: string): MiddlewareHandler<AppEnv> {
  const folder = resolve(root);
  return async (c, next) => {
    const path = c.req.path;
    if (API_PREFIXES.some((prefix) => path.startsWith(prefix))) return next();
    const file = await fileAt(folder, path);
    if (file) return send(c, file, path.startsWith(ASSETS_PREFIX) ? IMMUTABLE : REVALIDATE);
    if (path.startsWith(ASSETS_PREFIX)) return next();
    const shell = await regularFile(join(folder, 'index.html'));
    if (!shell) return next();
    return send(c, shell, REVALIDATE);
  };
}
