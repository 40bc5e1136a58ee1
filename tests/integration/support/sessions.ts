import { createAccountAsSystem } from '../../../api/accounts/service.ts';
import type { Database } from '../../../api/db/client.ts';
import type { Role } from '../../../api/vocabulary/roles.ts';

/** What `app.request` needs; the Hono app type is not needed here. */
export interface RequestTarget {
  request(path: string, init?: RequestInit, env?: unknown): Response | Promise<Response>;
}

export const TEST_PASSWORD = 'test-pass-2024';

/**
 * One account per role, scoped as the real ones would be: the county roles at the county,
 * the township ones at 沙溪镇, the field ones down 王坪村's first grid and cell.
 */
export const TEST_ACCOUNTS: { username: string; role: Role; scopeCode: string; departmentCode?: string }[] = [
  { username: 't-county', role: 'county_commander', scopeCode: '511921' },
  { username: 't-duty', role: 'duty_officer', scopeCode: '511921' },
  { username: 't-admin', role: 'admin', scopeCode: '511921' },
  { username: 't-shaxi', role: 'township_commander', scopeCode: '511921108' },
  { username: 't-shaxi-admin', role: 'admin', scopeCode: '511921108' },
  { username: 't-chief', role: 'grid_chief', scopeCode: '511921108209' },
  { username: 't-worker', role: 'grid_worker', scopeCode: '511921108209001' },
  { username: 't-informant', role: 'cell_informant', scopeCode: '511921108209001001' },
  { username: 't-cadre', role: 'department_cadre', scopeCode: '511921108209001', departmentCode: 'D01' },
  // A geohazard cadre of the county (县自然资源局): county-wide, yet only its lines and what is sent to it.
  { username: 't-ziran', role: 'department_cadre', scopeCode: '511921', departmentCode: 'D02' },
];

let created: Promise<void> | undefined;

/** Creates the test accounts once per run (the database is shared by every test file). */
export function ensureTestAccounts(db: Database): Promise<void> {
  created ??= (async () => {
    for (const account of TEST_ACCOUNTS) {
      await createAccountAsSystem(db, { ...account, displayName: account.username, password: TEST_PASSWORD });
    }
  })();
  return created;
}

/** The connection a request seems to come from (what @hono/node-server's getConnInfo reads). */
export function fromAddress(ip: string) {
  return { incoming: { socket: { remoteAddress: ip, remotePort: 40000, remoteFamily: 'IPv4' } } };
}

/** A browser with a cookie jar: signs in, then sends the session cookie and the CSRF token like the web client does. */
export class TestBrowser {
  private readonly cookies = new Map<string, string>();
  csrfToken: string | null = null;

  constructor(
    private readonly app: RequestTarget,
    private readonly ip = '127.0.0.2',
  ) {}

  private remember(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const [name = '', ...value] = pair.split('=');
      const text = value.join('=');
      if (/Max-Age=0|expires=Thu, 01 Jan 1970/i.test(header) || text === '') this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), text);
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** `body` goes as JSON, or as multipart/form-data when it is a FormData. */
  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const form = body instanceof FormData;
    const init: RequestInit = {
      method,
      headers: {
        ...(this.cookies.size > 0 ? { Cookie: this.cookieHeader() } : {}),
        ...(body === undefined || form ? {} : { 'Content-Type': 'application/json' }),
        ...(this.csrfToken && method !== 'GET' ? { 'X-CSRF-Token': this.csrfToken } : {}),
        Origin: 'http://localhost',
        Host: 'localhost',
        ...headers,
      },
      ...(body === undefined ? {} : { body: form ? body : JSON.stringify(body) }),
    };
    const response = await this.app.request(`http://localhost${path}`, init, fromAddress(this.ip));
    this.remember(response);
    return response;
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request('GET', path, undefined, headers);
  }

  async signIn(username: string, password = TEST_PASSWORD): Promise<Response> {
    const response = await this.request('POST', '/api/auth/login', { username, password });
    if (response.status === 200) this.csrfToken = ((await response.clone().json()) as { me: { csrfToken: string } }).me.csrfToken;
    return response;
  }
}

/** A browser already signed in as `username`. */
export async function signedInBrowser(app: RequestTarget, username: string, ip?: string): Promise<TestBrowser> {
  const browser = new TestBrowser(app, ip);
  const response = await browser.signIn(username);
  if (response.status !== 200) throw new Error(`sign-in as ${username} failed: ${response.status} ${await response.text()}`);
  return browser;
}

/** The JSON of a response that must succeed (below 300); else throws with `what`, the status and the body. */
export async function okJson<T = unknown>(response: Response | Promise<Response>, what: string): Promise<T> {
  const answer = await response;
  if (answer.status >= 300) throw new Error(`${what}: ${answer.status} ${await answer.text()}`);
  return answer.json() as Promise<T>;
}
