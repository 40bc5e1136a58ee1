import { queryOptions } from '@tanstack/react-query';
import type { InferRequestType, InferResponseType } from 'hono/client';
import { client, errorOf, ok } from '../api-client.ts';
import { loadFailedTitle } from '../query-client.ts';

type EntryList = InferResponseType<typeof client.api.special.entries.$get, 200>;
export type SpecialEntry = EntryList['entries'][number];
export type SpecialFilter = InferRequestType<typeof client.api.special.entries.$get>['query'];
export type SpecialDetail = InferResponseType<(typeof client.api.special.entries)[':id']['$get'], 200>;
export type EntryEdit = InferRequestType<(typeof client.api.special.entries)[':id']['$patch']>['json'];
export type NewEntry = InferRequestType<typeof client.api.special.entries.$post>['json'];
export type RuleVersion = InferResponseType<typeof client.api.special.rules.$get, 200>['versions'][number];

/**
 * A page of the register. Each read is an audit row: read again only when the filter changes or
 * after a change of one's own, never on a timer.
 */
export const entriesQuery = (filter: SpecialFilter, enabled: boolean) =>
  queryOptions({
    queryKey: ['special', 'entries', filter] as const,
    queryFn: () => ok(client.api.special.entries.$get({ query: filter })),
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
    meta: { errorTitle: loadFailedTitle },
  });

export const entryQuery = (id: string | null) =>
  queryOptions({
    queryKey: ['special', 'entry', id] as const,
    queryFn: () => ok(client.api.special.entries[':id'].$get({ param: { id: id ?? '' } })),
    enabled: id !== null,
    staleTime: Number.POSITIVE_INFINITY,
    meta: { errorTitle: loadFailedTitle },
  });

export const rulesQuery = () =>
  queryOptions({
    queryKey: ['special', 'rules'] as const,
    queryFn: () => ok(client.api.special.rules.$get()),
    meta: { errorTitle: loadFailedTitle },
  });

export const editEntry = (id: string, edit: EntryEdit) =>
  ok(client.api.special.entries[':id'].$patch({ param: { id }, json: edit }));

export const changeEntryState = (
  id: string,
  change: InferRequestType<(typeof client.api.special.entries)[':id']['state']['$post']>['json'],
) => ok(client.api.special.entries[':id'].state.$post({ param: { id }, json: change }));

export const closeEntry = (id: string, version: number, reason: string) =>
  ok(client.api.special.entries[':id'].close.$post({ param: { id }, json: { version, reason } }));

export async function registerEntry(entry: NewEntry) {
  const response = await client.api.special.entries.$post({ json: entry });
  if (!response.ok) throw await errorOf(response);
  return response.json();
}

export const setRule = (
  category: RuleVersion['category'],
  body: InferRequestType<(typeof client.api.special.rules)[':category']['$put']>['json'],
) => ok(client.api.special.rules[':category'].$put({ param: { category }, json: body }));

/** The export's URL for the filter: a plain link, so the browser downloads it with the session cookie. */
export function exportUrl(format: 'csv' | 'xlsx', filter: SpecialFilter): string {
  const query = new URLSearchParams(
    Object.entries(filter).filter((pair): pair is [string, string] => typeof pair[1] === 'string' && pair[1] !== ''),
  );
  return `/api/special/entries/export.${format}?${query.toString()}`;
}
