import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The module reads the page's origin, cookie and language through the API client: give it a page.
vi.stubGlobal('window', { location: { origin: 'http://127.0.0.1' } });
vi.stubGlobal('document', { cookie: '' });
vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => {} });
vi.stubGlobal('navigator', { onLine: true });

let failureOf: typeof import('./send-failure.ts').failureOf;
let networkFailure: typeof import('./send-failure.ts').networkFailure;

beforeAll(async () => {
  ({ failureOf, networkFailure } = await import('./send-failure.ts'));
});

// The other test files share this process.
afterAll(() => vi.unstubAllGlobals());

const answer = (status: number, code: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: { code, message: `服务器说：${code}` } }), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

describe('what a failed send means for the item on the phone', () => {
  it.each([400, 403, 404, 409, 422])('a %i is refused for good, with the server’s code and reason', async (status) => {
    expect(await failureOf(answer(status, 'invalid_request'))).toEqual({
      kind: 'refused',
      code: 'invalid_request',
      message: '服务器说：invalid_request',
    });
  });

  it.each([408, 429, 500, 503])('a %i waits for the next attempt', async (status) => {
    expect(await failureOf(answer(status, 'busy'))).toMatchObject({ kind: 'retry', session: false });
  });

  it('a lost session waits and asks for a sign-in, as every outbox of the page does', async () => {
    for (const code of ['not_signed_in', 'session_expired']) {
      expect(await failureOf(answer(401, code))).toEqual({ kind: 'retry', message: `服务器说：${code}`, session: true });
    }
  });

  it('a stale CSRF token is fetched again before the next attempt', async () => {
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (input: RequestInfo | URL) => {
      fetched.push(String(input instanceof Request ? input.url : input));
      return new Response('{}', { status: 503 });
    });
    try {
      expect(await failureOf(answer(403, 'csrf_invalid'))).toMatchObject({ kind: 'retry', session: false });
    } finally {
      vi.unstubAllGlobals();
      vi.stubGlobal('window', { location: { origin: 'http://127.0.0.1' } });
      vi.stubGlobal('document', { cookie: '' });
    }
    expect(fetched).toEqual(['http://127.0.0.1/api/auth/me']);
  });

  it('keeps the server’s Retry-After', async () => {
    expect(await failureOf(answer(503, 'busy', { 'Retry-After': '7' }))).toMatchObject({ kind: 'retry', retryAfterMs: 7_000 });
    expect(await failureOf(answer(503, 'busy'))).not.toHaveProperty('retryAfterMs');
  });

  it('no answer at all waits, saying whether the network or the wait failed', () => {
    expect(networkFailure()).toEqual({ kind: 'retry', message: '网络不通，稍后自动重试' });
    expect(networkFailure(true)).toEqual({ kind: 'retry', message: '发送超时，稍后自动重试' });
  });
});
