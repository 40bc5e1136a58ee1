/** The Cookie header a browser would send back after `response`, from its Set-Cookie headers. */
export function cookieHeaderOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0])
    .join('; ');
}

/**
 * Signs in over HTTP as a browser does (same-site Origin) and returns what it then holds: the
 * session's Cookie header and the CSRF token. Throws, with the server's answer, unless it is 200.
 */
export async function signInOverHttp(
  baseUrl: string,
  username: string,
  password: string,
): Promise<{ cookie: string; csrfToken: string }> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: baseUrl },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${username} failed: ${response.status} ${await response.text()}`);
  const { me } = (await response.json()) as { me: { csrfToken: string } };
  return { cookie: cookieHeaderOf(response), csrfToken: me.csrfToken };
}
