import type { HonoRequest, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { badRequest } from '../errors.ts';
import { announcedBody } from './body-limits.ts';

/**
 * NUL (U+0000) is the one character PostgreSQL's text cannot hold: a value with it fails inside
 * the database, after the request was accepted. Refused here instead, for every route at once:
 * the path, each query parameter, and every string (and key) of a JSON body. Multipart fields are
 * checked where the one multipart reader parses them (reports/submission.ts).
 */
export const refuseUnstorableText: MiddlewareHandler<AppEnv> = async (c, next) => {
  const url = new URL(c.req.url);
  if (hasNul(safeDecode(url.pathname))) throw unstorable('path');
  for (const [name, value] of url.searchParams) {
    if (hasNul(name) || hasNul(value)) throw unstorable(`query.${name.replaceAll('\0', '\\0')}`);
  }
  const type = c.req.header('Content-Type') ?? '';
  if (hasBody(c.req) && /^application\/(?:[\w.+-]*\+)?json\b/i.test(type)) {
    // Read through Hono's cache, so the route's own c.req.json() parses this text and reads no
    // stream again; the body-limit middleware ran first. The raw request is not touched: on Node
    // the body is then read straight from the socket, not through a web Request, a web stream and
    // a clone of it. With 561 workers sending a fix a second (npm run bench), that halved the
    // acknowledgement's p99 (291-341 ms to 97-163 ms) and its worst (1.4-2.1 s to 0.2-0.6 s).
    const text = await c.req.text();
    // JSON can only carry NUL escaped (a raw control character is not JSON): a body without the
    // escape holds none, and is not parsed a second time (a batch of 500 fixes is 60 kB).
    if (!NUL_ESCAPE.test(text)) return next();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return next(); // Not JSON: the route answers that in its own words.
    }
    assertStorable(body, 'body');
  }
  return next();
};

/** Throws 400 `invalid_characters` naming the first string (or key) of `value` that holds NUL. */
export function assertStorable(value: unknown, at: string): void {
  const where = nulPath(value, at);
  if (where) throw unstorable(where);
}

/** NUL as JSON writes it in a string or a key (`\u0000`), or raw, which JSON.parse refuses anyway. */
const NUL_ESCAPE = /\\u0000|\0/;

/**
 * A body follows the headers: one of a length above zero, or one sent in chunks. A request that
 * says neither (one built in this process, not read off a socket) is asked directly.
 */
function hasBody(request: HonoRequest): boolean {
  const announced = announcedBody(request);
  return announced === null ? request.raw.body !== null : announced !== 0;
}

function hasNul(text: string): boolean {
  return text.includes('\0');
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** The path of the first string (or key) holding NUL, as `body.items.2.note`; null when there is none. */
function nulPath(value: unknown, at: string): string | null {
  if (typeof value === 'string') return hasNul(value) ? at : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulPath(item, `${at}.${index}`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (hasNul(key)) return `${at}.${key.replaceAll('\0', '\\0')}`;
      const found = nulPath(item, `${at}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

function unstorable(where: string) {
  return badRequest(
    'invalid_characters',
    {
      zh: `输入含有不允许的字符（NUL，U+0000）：${where}`,
      en: `The input holds a character that is not allowed (NUL, U+0000): ${where}`,
    },
    { where },
  );
}
