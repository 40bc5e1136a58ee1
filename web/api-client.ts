import type { ClientResponse, InferResponseType } from 'hono/client';
import { hc } from 'hono/client';
import type { AppType } from '../api/app.ts';
import { currentLanguage } from './i18n.ts';

/**
 * The one module that talks to the API, through Hono RPC: request and response types come
 * from the server's route contracts (`AppType`), never re-declared here.
 */
const client = hc<AppType>(window.location.origin, {
  headers: () => ({ 'Accept-Language': currentLanguage() === 'en' ? 'en' : 'zh-CN' }),
});

export type ClientConfig = InferResponseType<typeof client.api.config.$get, 200>;
export type AreaDetail = InferResponseType<(typeof client.api.areas)[':code']['$get'], 200>['area'];
export type AreaPerson = AreaDetail['people'][number];
export type AreaChild = InferResponseType<(typeof client.api.areas)[':code']['children']['$get'], 200>['children'][number];
export type AreaSearchResult = InferResponseType<typeof client.api.areas.search.$get, 200>['results'][number];

/** [west, south, east, north] in WGS84 degrees. */
export type Bbox = AreaDetail['bbox'];

/** The vector tile layers the API serves, each with one source-layer of the same name. */
export const TILE_LAYERS = ['township', 'village', 'grid', 'cell', 'household'] as const;
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

function isErrorBody(body: unknown): body is { error: { code: string; message: string; details?: unknown } } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'message' in error && 'code' in error;
}

/** The 2xx body, or an `ApiError` built from the error body (or the status line if there is none). */
async function bodyOf<T>(response: ClientResponse<T>): Promise<T> {
  if (response.ok) return (await response.json()) as T;
  const body: unknown = await response.json().catch(() => null);
  if (isErrorBody(body)) throw new ApiError(response.status, body.error.code, body.error.message, body.error.details);
  throw new ApiError(response.status, 'http_error', `${response.status} ${response.statusText}`);
}

type Ok<R> = R extends ClientResponse<infer T, infer S> ? (S extends 200 ? T : never) : never;

async function ok<R extends ClientResponse<unknown>>(request: Promise<R>): Promise<Ok<R>> {
  return bodyOf((await request) as ClientResponse<Ok<R>>);
}

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

/** Absolute URL of a layer's TileJSON; MapLibre resolves the tile URLs from it. */
export function tileJsonUrl(layer: TileLayerName): string {
  return new URL(`/tiles/${layer}.json`, window.location.origin).href;
}
