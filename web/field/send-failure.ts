import { type ApiError, errorOf, fetchMe, isSessionError } from '../api-client.ts';
import { currentLanguage } from '../i18n.ts';

// What every outbox of the field page (reports, visits, ratings, surveys, task actions) makes of
// a send that failed: one reading, so that a rating and a survey treat a lost session alike.

const NETWORK_MESSAGE = { zh: '网络不通，稍后自动重试', en: 'No connection; retried automatically' } as const;
const TIMEOUT_MESSAGE = { zh: '发送超时，稍后自动重试', en: 'Sending timed out; retried automatically' } as const;

/** A refusal for good: the item stays on the phone, marked, with the server's reason. */
export interface SendRefused {
  kind: 'refused';
  code: string;
  message: string;
}

/** A failure that may pass: the item waits for the next attempt. */
export interface SendRetry {
  kind: 'retry';
  message: string;
  /** The session is gone: the outbox stops its pass and asks for a sign-in. */
  session?: boolean;
  /** The server's Retry-After, in ms. */
  retryAfterMs?: number;
}

/** A failure that may pass: the session, a timeout, a rate limit, the server, a stale CSRF token. */
function isPassing(error: ApiError): boolean {
  return (
    error.status === 401 || error.status === 408 || error.status === 429 || error.status >= 500 || error.code.startsWith('csrf')
  );
}

function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get('Retry-After');
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/**
 * What a failed answer means for the item sent: refused for good, or retried. A CSRF token gone
 * stale (the session was renewed in another tab) is fetched again first, so that the next attempt
 * carries it.
 */
export async function failureOf(response: Response): Promise<SendRefused | SendRetry> {
  const error = await errorOf(response);
  if (!isPassing(error)) return { kind: 'refused', code: error.code, message: error.message };
  if (error.code.startsWith('csrf')) await fetchMe().catch(() => {});
  const retry: SendRetry = { kind: 'retry', message: error.message, session: isSessionError(error) };
  const after = retryAfterMs(response);
  return after === undefined ? retry : { ...retry, retryAfterMs: after };
}

/** A send that never got an answer (no network, the connection dropped, or `timedOut` waiting): retried. */
export function networkFailure(timedOut = false): SendRetry {
  return { kind: 'retry', message: (timedOut ? TIMEOUT_MESSAGE : NETWORK_MESSAGE)[currentLanguage()] };
}
