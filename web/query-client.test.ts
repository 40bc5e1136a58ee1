import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The query client's module reads the page's origin and language through the API client: give it a page.
vi.stubGlobal('window', { location: { origin: 'http://127.0.0.1' } });
vi.stubGlobal('document', { cookie: '' });
vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => {} });
const online = { onLine: true };
vi.stubGlobal('navigator', online);

let shouldRetry: typeof import('./query-client.ts').shouldRetry;
let ApiError: typeof import('./api-client.ts').ApiError;

beforeAll(async () => {
  ({ shouldRetry } = await import('./query-client.ts'));
  ({ ApiError } = await import('./api-client.ts'));
});

// The other test files share this process.
afterAll(() => vi.unstubAllGlobals());

describe('which failed reads are tried again', () => {
  it.each([400, 401, 403, 404, 409, 422, 429])('never a %i: the server has answered', (status) => {
    expect(shouldRetry(0, new ApiError(status, 'refused', 'refused'))).toBe(false);
  });

  it('a 5xx or a network failure, twice', () => {
    expect(shouldRetry(0, new ApiError(503, 'unavailable', 'unavailable'))).toBe(true);
    expect(shouldRetry(1, new TypeError('Failed to fetch'))).toBe(true);
    expect(shouldRetry(2, new TypeError('Failed to fetch'))).toBe(false);
  });

  it('nothing while the browser knows it is offline', () => {
    online.onLine = false;
    try {
      expect(shouldRetry(0, new TypeError('Failed to fetch'))).toBe(false);
    } finally {
      online.onLine = true;
    }
  });
});
