import type { ClientResponse, InferResponseType } from 'hono/client';
import { hc } from 'hono/client';
import type { AppType } from '../api/app.ts';
import { currentLanguage } from './i18n.ts';

/**
 * The one module that talks to the API, through Hono RPC: request and response types come
 * from the server's route contracts (`AppType`), never re-declared here.
 */

/** The CSRF token of the current session, echoed on every state-changing request. */
let csrfToken: string | null = null;

/** The readable `gcc_csrf` cookie, for a page that has not asked /api/auth/me yet. */
function csrfCookie(): string | null {
  const match = /(?:^|;\s*)gcc_csrf=([^;]+)/.exec(document.cookie);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

/** The typed RPC client; screens with their own API module (cases, field) build on it with `ok` and `errorOf`. */
export const client = hc<AppType>(window.location.origin, {
  headers: (): Record<string, string> => {
    const token = csrfToken ?? csrfCookie();
    return {
      'Accept-Language': currentLanguage() === 'en' ? 'en' : 'zh-CN',
      ...(token ? { 'X-CSRF-Token': token } : {}),
    };
  },
});

export type ClientConfig = InferResponseType<typeof client.api.config.$get, 200>;
export type AreaDetail = InferResponseType<(typeof client.api.areas)[':code']['$get'], 200>['area'];
export type AreaPerson = AreaDetail['people'][number];
export type AreaChild = InferResponseType<(typeof client.api.areas)[':code']['children']['$get'], 200>['children'][number];
export type AreaSearchResult = InferResponseType<typeof client.api.areas.search.$get, 200>['results'][number];
/** The signed-in account: who, role, area scope, what it may do, and its CSRF token. */
export type Me = InferResponseType<typeof client.api.auth.me.$get, 200>['me'];
export type DemoAccounts = InferResponseType<(typeof client.api.auth)['demo-accounts']['$get'], 200>;
export type DemoAccount = DemoAccounts['accounts'][number];
export type PermissionTable = InferResponseType<typeof client.api.permissions.$get, 200>;
export type Account = InferResponseType<typeof client.api.accounts.$get, 200>['accounts'][number];
export type NewAccount = Parameters<typeof client.api.accounts.$post>[0]['json'];
export type AccountChanges = Parameters<(typeof client.api.accounts)[':id']['$patch']>[0]['json'];
export type AuditPage = InferResponseType<typeof client.api.audit.$get, 200>;

/** [west, south, east, north] in WGS84 degrees. */
export type Bbox = AreaDetail['bbox'];

/** The vector tile layers the API serves, each with one source-layer of the same name. */
const TILE_LAYERS = ['township', 'village', 'grid', 'cell', 'household'] as const;
export type TileLayerName = (typeof TILE_LAYERS)[number];

/** An expected failure the API reported as `{ error: { code, message, details } }`; the message is in the UI language. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The codes with which the API says a request has no (longer a) session. A wrong password is not one of them. */
const SESSION_ERROR_CODES = new Set(['not_signed_in', 'session_expired']);

/** True for a 401 that means "sign in (again)": the login page takes over, no toast is needed. */
export function isSessionError(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 401 && SESSION_ERROR_CODES.has(error.code);
}

const sessionListeners = new Set<(error: ApiError) => void>();

/** Hears of every request that found the session gone (expired, revoked, signed out elsewhere). */
export function onSessionEnded(listener: (error: ApiError) => void): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

/** Tells the app that the session is gone; also called for map tiles, which MapLibre fetches itself. */
export function reportSessionEnded(error: ApiError): void {
  csrfToken = null;
  for (const listener of sessionListeners) listener(error);
}

function isErrorBody(body: unknown): body is { error: { code: string; message: string; details?: unknown } } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'message' in error && 'code' in error;
}

/** The `ApiError` of a failed response, built from its error body (or the status line if there is none). */
export async function errorOf(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => null);
  const error = isErrorBody(body)
    ? new ApiError(response.status, body.error.code, body.error.message, body.error.details)
    : new ApiError(response.status, 'http_error', `${response.status} ${response.statusText}`);
  if (isSessionError(error)) reportSessionEnded(error);
  return error;
}

/** The 2xx body, or the `ApiError` of the failure. */
async function bodyOf<T>(response: ClientResponse<T>): Promise<T> {
  if (response.ok) return (await response.json()) as T;
  throw await errorOf(response);
}

type Ok<R, Status extends number = 200> = R extends ClientResponse<infer T, infer S> ? (S extends Status ? T : never) : never;

export async function ok<R extends ClientResponse<unknown>>(request: Promise<R>): Promise<Ok<R>> {
  return bodyOf((await request) as ClientResponse<Ok<R>>);
}

async function created<R extends ClientResponse<unknown>>(request: Promise<R>): Promise<Ok<R, 201>> {
  return bodyOf((await request) as ClientResponse<Ok<R, 201>>);
}

async function noContent(request: Promise<ClientResponse<unknown>>): Promise<void> {
  const response = await request;
  if (!response.ok) throw await errorOf(response);
}

// ---- session ----

function remember(me: Me): Me {
  csrfToken = me.csrfToken;
  return me;
}

/** The signed-in account; fails with a session error (401) when nobody is. */
export async function fetchMe(signal?: AbortSignal): Promise<Me> {
  const body = await ok(client.api.auth.me.$get(undefined, { init: { signal } }));
  return remember(body.me);
}

/** Signs in. A wrong password is a plain 401 `ApiError` (not a session error); a locked account 429, a disabled one 403. */
export async function signIn(username: string, password: string): Promise<Me> {
  const response = await client.api.auth.login.$post({ json: { username, password } });
  if (!response.ok) {
    // The login form shows this failure itself; it is not a lost session.
    const body: unknown = await response.json().catch(() => null);
    if (isErrorBody(body)) throw new ApiError(response.status, body.error.code, body.error.message, body.error.details);
    throw new ApiError(response.status, 'http_error', `${response.status} ${response.statusText}`);
  }
  const body = (await response.json()) as Ok<typeof response>;
  return remember(body.me);
}

/** Signs out of this browser, or of every browser of the account with `everywhere`. */
export async function signOut(everywhere: boolean): Promise<void> {
  await ok(client.api.auth.logout.$post({ json: { everywhere } }));
  csrfToken = null;
}

export function fetchDemoAccounts(signal?: AbortSignal): Promise<DemoAccounts> {
  return ok(client.api.auth['demo-accounts'].$get(undefined, { init: { signal } }));
}

export function fetchPermissions(signal?: AbortSignal): Promise<PermissionTable> {
  return ok(client.api.permissions.$get(undefined, { init: { signal } }));
}

// ---- map data ----

export function fetchConfig(signal?: AbortSignal): Promise<ClientConfig> {
  return ok(client.api.config.$get(undefined, { init: { signal } }));
}

export async function fetchArea(code: string, signal?: AbortSignal): Promise<AreaDetail> {
  const body = await ok(client.api.areas[':code'].$get({ param: { code } }, { init: { signal } }));
  return body.area;
}

export async function fetchChildren(code: string, signal?: AbortSignal): Promise<AreaChild[]> {
  const body = await ok(client.api.areas[':code'].children.$get({ param: { code } }, { init: { signal } }));
  return body.children;
}

export async function searchAreas(query: string, limit: number, signal?: AbortSignal): Promise<AreaSearchResult[]> {
  const body = await ok(client.api.areas.search.$get({ query: { q: query, limit: String(limit) } }, { init: { signal } }));
  return body.results;
}

/** The area with exactly this code, found through search (which, unlike the area details, reads no personal data). */
export async function findArea(code: string, signal?: AbortSignal): Promise<AreaSearchResult | null> {
  const results = await searchAreas(code, 3, signal);
  return results.find((result) => result.code === code) ?? null;
}

/** Absolute URL of a layer's TileJSON; MapLibre resolves the tile URLs from it. */
export function tileJsonUrl(layer: TileLayerName): string {
  return new URL(`/tiles/${layer}.json`, window.location.origin).href;
}

// ---- accounts ----

export interface AccountFilter {
  text: string;
  role: string;
  includeDisabled: boolean;
}

export async function fetchAccounts(filter: AccountFilter, signal?: AbortSignal): Promise<Account[]> {
  const query = {
    includeDisabled: filter.includeDisabled ? ('true' as const) : ('false' as const),
    ...(filter.text.trim() ? { q: filter.text.trim() } : {}),
    ...(filter.role ? { role: filter.role } : {}),
  };
  const body = await ok(client.api.accounts.$get({ query }, { init: { signal } }));
  return body.accounts;
}

export async function createAccount(account: NewAccount): Promise<Account> {
  const body = await created(client.api.accounts.$post({ json: account }));
  return body.account;
}

export async function updateAccount(id: string, changes: AccountChanges): Promise<Account> {
  const body = await ok(client.api.accounts[':id'].$patch({ param: { id }, json: changes }));
  return body.account;
}

export function resetPassword(id: string, password: string): Promise<void> {
  return noContent(client.api.accounts[':id'].password.$post({ param: { id }, json: { password } }));
}

// ---- audit log ----

export interface AuditFilter {
  /** Prefix of the action, e.g. `auth.` or `people.read`. */
  action: string;
  actor: string;
  outcome: '' | 'ok' | 'denied' | 'failed';
  /** ISO instants; `to` is exclusive. */
  from: string;
  to: string;
}

function auditQuery(filter: AuditFilter) {
  return {
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.actor.trim() ? { actor: filter.actor.trim() } : {}),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
    ...(filter.from ? { from: filter.from } : {}),
    ...(filter.to ? { to: filter.to } : {}),
  };
}

export function fetchAudit(filter: AuditFilter, page: number, pageSize: number, signal?: AbortSignal): Promise<AuditPage> {
  return ok(
    client.api.audit.$get(
      { query: { ...auditQuery(filter), page: String(page), pageSize: String(pageSize) } },
      { init: { signal } },
    ),
  );
}

/** The filtered log as a CSV file, with the name the server gives it. */
export async function exportAudit(filter: AuditFilter): Promise<{ file: Blob; fileName: string }> {
  const response = await client.api.audit['export.csv'].$get({ query: auditQuery(filter) });
  if (!response.ok) throw await errorOf(response);
  const fileName = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? 'audit.csv';
  return { file: await response.blob(), fileName };
}
