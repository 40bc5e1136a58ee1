import { ApiError, isSessionError } from './api-client.ts';
import { currentLanguage, STRINGS } from './i18n.ts';

/** A message shown to the user for a few seconds. */
export interface Toast {
  id: number;
  /** A failure (the default), or a confirmation that something was done. */
  kind: 'error' | 'notice';
  title: string;
  message: string;
}

const TOAST_MILLISECONDS = 7000;

let toasts: Toast[] = [];
let nextToastId = 1;
const listeners = new Set<() => void>();

function publish(next: Toast[]): void {
  toasts = next;
  for (const listener of listeners) listener();
}

export function subscribeToasts(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function currentToasts(): Toast[] {
  return toasts;
}

export function dismissToast(id: number): void {
  publish(toasts.filter((toast) => toast.id !== id));
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function show(kind: Toast['kind'], title: string, message: string): void {
  // The same failure repeated (a tile server down, say) is one toast, not a wall of them.
  if (toasts.some((shown) => shown.kind === kind && shown.title === title && shown.message === message)) return;
  const toast: Toast = { id: nextToastId++, kind, title, message };
  publish([...toasts.slice(-3), toast]);
  setTimeout(() => dismissToast(toast.id), TOAST_MILLISECONDS);
}

/** Confirms a change the user made (an account created, a file exported). */
export function showNotice(title: string, message = ''): void {
  show('notice', title, message);
}

/**
 * The one place failures reach the user: a toast with the API's own message (already in the UI
 * language), or a generic one. Aborted requests are the normal end of a superseded fetch and are
 * ignored; so is a lost session, which the login page explains. Bugs are logged too.
 */
export function handleError(error: unknown, context?: string): void {
  if (isAbort(error) || isSessionError(error)) return;
  const t = STRINGS[currentLanguage()];
  let message: string;
  if (error instanceof ApiError) {
    message = error.message;
  } else if (error instanceof TypeError && /fetch|network/i.test(error.message)) {
    message = t.networkError;
  } else {
    console.error(error);
    message = error instanceof Error && error.message ? error.message : t.unknownError;
  }
  show('error', context ?? t.requestFailed, message);
}

/** Closes every toast, e.g. when the account changes. */
export function clearToasts(): void {
  publish([]);
}

/**
 * A failure of a load the page started by itself (a list, the account's area), as opposed to
 * something the user just did: while the browser knows it is offline it is no news (the page says
 * it is offline, and the load runs again when the network is back), so no toast. Otherwise as
 * {@link handleError}.
 */
export function handleLoadError(error: unknown, context?: string): void {
  if (!navigator.onLine && error instanceof TypeError) return;
  handleError(error, context);
}
