import type { Polygon } from 'geojson';
import type { InferRequestType, InferResponseType } from 'hono/client';
import { OPEN_STATES } from '../../api/vocabulary/case-states.ts';
import { client, errorOf, ok } from '../api-client.ts';
import { newClientId } from '../client-id.ts';

/**
 * The case screens' calls to the API, through the typed RPC client: every type here is inferred
 * from the server's route contracts (api/cases/routes.ts, api/cases/impact/routes.ts,
 * api/cases/duplicates/routes.ts), none re-declared.
 */

const cases = client.api.cases;

export type CasePage = InferResponseType<typeof cases.$get, 200>;
export type CaseSummary = CasePage['items'][number];
export type CaseDetail = InferResponseType<(typeof cases)[':id']['$get'], 200>['case'];
export type CaseStep = CaseDetail['steps'][number];
export type CaseActionName = CaseDetail['nextActions'][number];
export type CaseActionBody = InferRequestType<(typeof cases)[':id']['actions']['$post']>['json'];
export type CaseActionResult = InferResponseType<(typeof cases)[':id']['actions']['$post'], 200>;
export type Impact = InferResponseType<(typeof cases)[':id']['impact']['$get'], 200>;
export type ImpactPerson = Impact['people'][number];
export type Duplicates = InferResponseType<(typeof cases)[':id']['duplicates']['$get'], 200>;
export type Duplicate = Duplicates['duplicates'][number];
export type TimeLimits = InferResponseType<(typeof client.api)['time-limits']['$get'], 200>;
export type TimeLimitRow = TimeLimits['limits'][number];
export type TimeLimitChange = InferRequestType<(typeof client.api)['time-limits']['$put']>['json']['limits'][number];
type CaseListQuery = NonNullable<InferRequestType<typeof cases.$get>['query']>;
export type CaseLight = CaseSummary['light'];
export type CaseSort = NonNullable<CaseListQuery['sort']>;

/** The case list's filter as the page holds it: every field a string, empty meaning "any". */
export interface CaseFilter {
  /** `open` (every open state), one state, or empty for all. */
  state: string;
  type: string;
  area: string;
  urgency: '' | 'normal' | 'urgent';
  light: '' | CaseLight;
  /** Calendar days in Beijing time (the county's days, as the duty board counts "today"), `YYYY-MM-DD`, both inclusive. */
  fromDay: string;
  toDay: string;
  text: string;
  sort: CaseSort;
  order: 'asc' | 'desc';
}

export const EMPTY_FILTER: CaseFilter = {
  state: 'open',
  type: '',
  area: '',
  urgency: '',
  light: '',
  fromDay: '',
  toDay: '',
  text: '',
  sort: 'reportedAt',
  order: 'desc',
};

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Midnight in Beijing time (UTC+8 all year) of a `YYYY-MM-DD` day, `days` later, as an ISO instant:
 * the county's day, whatever the time zone of the machine showing the list.
 */
function startOfDay(day: string, days = 0): string {
  return new Date(new Date(`${day}T00:00:00+08:00`).getTime() + days * DAY_MS).toISOString();
}

/** The API's query for a filter (the export links use the same). */
function queryOf(filter: CaseFilter): Record<string, string> {
  const query: Record<string, string> = { sort: filter.sort, order: filter.order };
  if (filter.state === 'open') query.state = OPEN_STATES.join(',');
  else if (filter.state) query.state = filter.state;
  if (filter.type) query.type = filter.type;
  if (filter.area) query.area = filter.area;
  if (filter.urgency) query.urgency = filter.urgency;
  if (filter.light) query.light = filter.light;
  if (filter.fromDay) query.from = startOfDay(filter.fromDay);
  // `to` is exclusive: the start of the day after the last one.
  if (filter.toDay) query.to = startOfDay(filter.toDay, 1);
  if (filter.text.trim()) query.text = filter.text.trim();
  return query;
}

export function fetchCases(filter: CaseFilter, page: number, pageSize: number, signal?: AbortSignal): Promise<CasePage> {
  return ok(cases.$get({ query: { ...queryOf(filter), page: String(page), pageSize: String(pageSize) } }, { init: { signal } }));
}

/** The most open cases the live map loads at once: far more than a county has open on a bad day. */
const OPEN_PAGE_SIZE = 200;
const OPEN_MAX_PAGES = 10;

/** Every open case of the account's scope, newest first. */
export async function fetchOpenCases(signal?: AbortSignal): Promise<CaseSummary[]> {
  const filter: CaseFilter = { ...EMPTY_FILTER, state: 'open' };
  const all: CaseSummary[] = [];
  for (let page = 1; page <= OPEN_MAX_PAGES; page++) {
    const result = await fetchCases(filter, page, OPEN_PAGE_SIZE, signal);
    all.push(...result.items);
    if (all.length >= result.total || result.items.length < OPEN_PAGE_SIZE) break;
  }
  return all;
}

/** The export of the filtered list: a plain link (the session cookie goes with it), so the browser downloads it. */
export function exportUrl(format: 'csv' | 'xlsx', filter: CaseFilter): string {
  const { sort, order, ...rest } = queryOf(filter);
  const params = new URLSearchParams({ ...rest, sort: sort ?? 'reportedAt', order: order ?? 'desc' });
  return `/api/cases/export.${format}?${params}`;
}

export async function fetchCase(id: string, signal?: AbortSignal): Promise<CaseDetail> {
  const body = await ok(cases[':id'].$get({ param: { id } }, { init: { signal } }));
  return body.case;
}

/** Takes a workflow action; the client id makes a retried tap count once. */
/**
 * Uploads photos for a step of the case (resized on the device first); answers their ids for the
 * action's `photoIds`. Sending the same bytes again gives the same ids back.
 */
export async function uploadCasePhotos(id: string, photos: readonly Blob[]): Promise<string[]> {
  const form = new FormData();
  for (const [index, photo] of photos.entries()) form.append('photos', photo, `photo-${index + 1}.jpg`);
  // The contract documents the multipart body without typing it for the client: the form goes in as the body.
  const response = await cases[':id'].photos.$post({ param: { id } }, { init: { body: form } });
  if (response.status !== 201) throw await errorOf(response);
  const body = (await response.json()) as { photos: { id: string }[] };
  return body.photos.map((photo) => photo.id);
}

export function actOnCase(id: string, body: CaseActionBody): Promise<CaseActionResult> {
  return ok(cases[':id'].actions.$post({ param: { id }, json: body }));
}

/** Where a photo of a case is served (an `<img>` loads it with the session cookie). */
export function photoUrl(caseId: string, photoId: string): string {
  return `/api/reports/${encodeURIComponent(caseId)}/photos/${encodeURIComponent(photoId)}`;
}

export function fetchImpact(id: string, signal?: AbortSignal): Promise<Impact> {
  return ok(cases[':id'].impact.$get({ param: { id } }, { init: { signal } }));
}

export async function saveControlZone(id: string, zone: Polygon): Promise<void> {
  await ok(cases[':id']['control-zone'].$put({ param: { id }, json: { type: 'Polygon', coordinates: zone.coordinates } }));
}

/** Alerts everyone in the zone not alerted yet; answers how many were alerted now. */
export async function alertEveryone(id: string): Promise<number> {
  const response = await cases[':id'].alerts.$post({ param: { id }, json: { clientId: newClientId() } });
  if (!response.ok) throw await errorOf(response);
  const body = (await response.json()) as { created: number };
  return body.created;
}

export function fetchDuplicates(id: string, signal?: AbortSignal): Promise<Duplicates> {
  return ok(cases[':id'].duplicates.$get({ param: { id } }, { init: { signal } }));
}

/** Merges the case `id` into the case `intoId`. */
export async function mergeInto(id: string, intoId: string): Promise<void> {
  await ok(cases[':id'].merge.$post({ param: { id }, json: { intoId, clientId: newClientId() } }));
}

export function fetchTimeLimits(signal?: AbortSignal): Promise<TimeLimits> {
  return ok(client.api['time-limits'].$get(undefined, { init: { signal } }));
}

export function saveTimeLimits(limits: TimeLimitChange[]): Promise<TimeLimits> {
  return ok(client.api['time-limits'].$put({ json: { limits } }));
}

const evaluations = cases[':id'].evaluations;
export type CaseEvaluation = InferResponseType<typeof evaluations.$get, 200>['evaluations'][number];
export type ReturnCallBody = InferRequestType<(typeof evaluations)['return-call']['$post']>['json'];

/** The case's three-party evaluations the reader may see (GET /api/cases/{id}/evaluations). */
export async function fetchEvaluations(id: string, signal?: AbortSignal): Promise<CaseEvaluation[]> {
  return (await ok(evaluations.$get({ param: { id } }, { init: { signal } }))).evaluations;
}

/** A return call (回访): the resident's satisfaction, who was called and the number; a retry sends the same clientId. */
export async function recordReturnCall(id: string, body: ReturnCallBody): Promise<CaseEvaluation> {
  return (await ok(evaluations['return-call'].$post({ param: { id }, json: body }))).evaluation;
}

/** The department's view of the case (its cadre), or the grid worker's rating of a department that handled it. */
export async function rateAsParty(
  id: string,
  party: 'department' | 'grid-worker',
  body: { clientId: string; score: number; departmentCode?: string },
): Promise<CaseEvaluation> {
  const route = party === 'department' ? evaluations.department : evaluations['grid-worker'];
  return (await ok(route.$post({ param: { id }, json: body }))).evaluation;
}
