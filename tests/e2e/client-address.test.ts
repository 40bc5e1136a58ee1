import { describe, expect, it } from 'vitest';
import { cookieHeaderOf } from '../support/http-sign-in.ts';
import { DEMO_PASSWORD, serverUrl } from './harness.ts';

/**
 * The client's address travels from the socket through the node adapter into the app: the
 * audit log records it, and sign-in is limited per address (a lost address would make that
 * limit global). `app.request` in the integration tests has no socket, so this runs here,
 * against the real server process.
 */
describe('the client address over a real socket', () => {
  it('reaches the audit log of a failed and a successful sign-in', async () => {
    const url = serverUrl();
    const signIn = (password: string) =>
      fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: url },
        body: JSON.stringify({ username: 'duty', password }),
      });
    expect((await signIn('wrong-password-1')).status).toBe(401);
    const login = await signIn(DEMO_PASSWORD);
    expect(login.status).toBe(200);
    const cookie = cookieHeaderOf(login);
    // duty (a duty officer) may not read the audit log; the county administrator may.
    const admin = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: url },
      body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }),
    });
    const adminCookie = cookieHeaderOf(admin);
    expect(cookie).toContain('gcc_session=');
    const audit = await (
      await fetch(`${url}/api/audit?action=auth.login&actor=duty`, { headers: { Cookie: adminCookie } })
    ).json();
    expect(audit.entries.map((entry: { action: string }) => entry.action)).toEqual(
      expect.arrayContaining(['auth.login', 'auth.login_failed']),
    );
    for (const entry of audit.entries) expect(entry.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
  });
});
