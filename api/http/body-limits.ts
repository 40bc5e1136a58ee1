import type { HonoRequest, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { MAX_REPORT_REQUEST_BYTES } from '../reports/submission.ts';

const KIB = 1024;
const MIB = 1024 * KIB;

/** A body larger than most commands need: an account, an action with its note, a table of time limits. */
const DEFAULT_BODY_BYTES = 64 * KIB;

interface BodyAllowance {
  method: string;
  path: RegExp;
  maxBytes: number;
  /** What the body is, for the error: 「…过大」 / "… is too large". */
  what: { zh: string; en: string };
}

/**
 * Routes whose bodies may be larger (or must be smaller) than the default. Every other route
 * gets DEFAULT_BODY_BYTES, so a new route is limited without anyone remembering to.
 */
const ALLOWANCES: BodyAllowance[] = [
  {
    method: 'POST',
    path: /^\/api\/auth\/login$/,
    maxBytes: 4 * KIB,
    what: { zh: '登录请求', en: 'The sign-in request' },
  },
  {
    method: 'POST',
    path: /^\/api\/reports$/,
    maxBytes: MAX_REPORT_REQUEST_BYTES,
    what: { zh: '上报内容', en: 'The report' },
  },
  {
    method: 'POST',
    path: /^\/api\/cases\/[^/]+\/photos$/,
    maxBytes: MAX_REPORT_REQUEST_BYTES,
    what: { zh: '照片', en: 'The photos' },
  },
  {
    method: 'POST',
    path: /^\/api\/tasks\/[^/]+\/photos$/,
    maxBytes: MAX_REPORT_REQUEST_BYTES,
    what: { zh: '任务照片', en: 'The task photo' },
  },
  {
    method: 'POST',
    path: /^\/api\/special\/visits\/[^/]+\/photos$/,
    maxBytes: MAX_REPORT_REQUEST_BYTES,
    what: { zh: '走访照片', en: 'The visit photos' },
  },
  {
    // A phone back from a dead spell sends up to 2,000 fixes and 200 gaps in a batch (api/patrols/routes.ts):
    // a fix with a UUID for its id is about 180 bytes of JSON, so the field page's 500-fix batch alone is 90 KB.
    method: 'POST',
    path: /^\/api\/patrols\/[^/]+\/positions$/,
    maxBytes: 1 * MIB,
    what: { zh: '巡查轨迹点', en: 'The batch of positions' },
  },
  {
    // A hand-drawn control zone: some thousands of vertices at most.
    method: 'PUT',
    path: /^\/api\/cases\/[^/]+\/control-zone$/,
    maxBytes: 1 * MIB,
    what: { zh: '管控范围', en: 'The control zone' },
  },
];

function allowanceOf(method: string, path: string): Pick<BodyAllowance, 'maxBytes' | 'what'> {
  return (
    ALLOWANCES.find((allowance) => allowance.method === method && allowance.path.test(path)) ?? {
      maxBytes: DEFAULT_BODY_BYTES,
      what: { zh: '请求内容', en: 'The request body' },
    }
  );
}

const limiters = new Map<string, MiddlewareHandler<AppEnv>>();

/**
 * The body as the headers announce it: its length in bytes, 'chunked', or null when they say
 * nothing (a request built in this process, or one without a body).
 */
export function announcedBody(request: HonoRequest): number | 'chunked' | null {
  if (request.header('Transfer-Encoding') !== undefined) return 'chunked';
  const length = request.header('Content-Length');
  return length === undefined ? null : Number.parseInt(length, 10);
}

/**
 * By Content-Length when the request gives one (nothing of the body is touched: on Node the body
 * is then read straight from the socket, without building a web stream for it), else Hono's
 * bodyLimit counts the bytes as they stream in.
 */
function limiter({ maxBytes, what }: Pick<BodyAllowance, 'maxBytes' | 'what'>): MiddlewareHandler<AppEnv> {
  const key = `${maxBytes} ${what.en}`;
  const known = limiters.get(key);
  if (known) return known;
  const tooLarge = (): never => {
    const size = maxBytes >= MIB ? `${maxBytes / MIB} MB` : `${maxBytes / KIB} KB`;
    throw new AppError(
      413,
      'request_too_large',
      { zh: `${what.zh}过大：不能超过 ${size}`, en: `${what.en} is too large: at most ${size}` },
      { maxBytes },
    );
  };
  const streamed = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  const created: MiddlewareHandler<AppEnv> = (c, next) => {
    const announced = announcedBody(c.req);
    if (typeof announced !== 'number') return streamed(c, next);
    return announced > maxBytes ? tooLarge() : next();
  };
  limiters.set(key, created);
  return created;
}

/**
 * Refuses a body over its route's allowance with 413 before anything reads it: by Content-Length
 * when given, else while it streams in. Requests without a body pass untouched.
 */
export const bodyLimits: MiddlewareHandler<AppEnv> = (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
  return limiter(allowanceOf(c.req.method, c.req.path))(c, next);
};
