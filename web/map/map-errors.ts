import { ApiError, reportSessionEnded } from '../api-client.ts';
import { currentLanguage, STRINGS } from '../i18n.ts';

/** Whether an error is MapLibre's failed request for `url` (an `AJAXError` carries the URL). */
export function isRequestFor(error: unknown, url: string): boolean {
  return typeof error === 'object' && error !== null && 'url' in error && error.url === url;
}

/**
 * Brings the login page back when MapLibre's failed request was answered 401 (the session ended
 * while tiles were loading), as every API call does; says whether it was that.
 */
export function endSessionOnUnauthorized(error: unknown): boolean {
  const unauthorized = typeof error === 'object' && error !== null && 'status' in error && error.status === 401;
  if (unauthorized) reportSessionEnded(new ApiError(401, 'session_expired', STRINGS[currentLanguage()].sessionExpired));
  return unauthorized;
}
