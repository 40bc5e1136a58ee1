import { queryOptions } from '@tanstack/react-query';
import type { AreaChild } from '../api-client.ts';
import { fetchArea, fetchChildren, fetchConfig, findArea, searchAreas } from '../api-client.ts';
import { currentLanguage, STRINGS } from '../i18n.ts';
import { queryClient } from '../query-client.ts';

/**
 * The areas' reads (see web/query-client.ts for the pattern). The county's areas do not change
 * while a page is open, so their names, children and label points are kept for the page's life
 * and shared by every screen that asks (the command map, the case list's filter, the field map,
 * the audit log's scope names); an area's details (its people) are read afresh each time.
 */
const areaKeys = {
  all: ['areas'] as const,
  config: () => ['areas', 'config'] as const,
  detail: (code: string) => ['areas', 'detail', code] as const,
  children: (code: string) => ['areas', 'children', code] as const,
  search: (text: string, limit: number) => ['areas', 'search', text, limit] as const,
  byCode: (code: string) => ['areas', 'by-code', code] as const,
  county: (code: string) => ['areas', 'county', code] as const,
};

/** The client configuration (the county, the map's settings). */
export const configQuery = () =>
  queryOptions({
    queryKey: areaKeys.config(),
    queryFn: ({ signal }) => fetchConfig(signal),
    staleTime: Number.POSITIVE_INFINITY,
    meta: { errorTitle: () => STRINGS[currentLanguage()].configFailed },
  });

export const areaDetailQuery = (code: string) =>
  queryOptions({ queryKey: areaKeys.detail(code), queryFn: ({ signal }) => fetchArea(code, signal) });

export const areaChildrenQuery = (code: string) =>
  queryOptions({
    queryKey: areaKeys.children(code),
    queryFn: ({ signal }) => fetchChildren(code, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const areaSearchQuery = (text: string, limit: number) =>
  queryOptions({
    queryKey: areaKeys.search(text, limit),
    queryFn: ({ signal }) => searchAreas(text, limit, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });

/** The area with exactly this code (its name and place), through search, which reads no personal data. */
export const areaByCodeQuery = (code: string) =>
  queryOptions({
    queryKey: areaKeys.byCode(code),
    queryFn: ({ signal }) => findArea(code, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });

/**
 * An area's children, through the page's query cache: each is asked for once, whoever asks (a map
 * outside React). `quiet`: a failure is no toast (the field map's names are a nicety offline).
 */
export function areaChildren(code: string, quiet = false): Promise<AreaChild[]> {
  return queryClient.fetchQuery({ ...areaChildrenQuery(code), ...(quiet ? { meta: { quiet } } : {}) });
}

const PARALLEL_REQUESTS = 6;

/** Runs `task` over `items`, a few at a time. */
export async function inBatches<T, R>(items: T[], task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_REQUESTS, items.length) }, worker));
  return results;
}

/** Township and village label points with their household counts, for labels and the density heatmap. */
export interface CountyAreas {
  townships: AreaChild[];
  villages: AreaChild[];
}

/** The county's townships, then every township's villages and communities. */
async function loadCountyAreas(countyCode: string): Promise<CountyAreas> {
  const townships = await areaChildren(countyCode);
  const villages = await inBatches(townships, (township) => areaChildren(township.code));
  return { townships, villages: villages.flat() };
}

/** Township and village label points with their household counts: the command map's labels and its density heatmap. */
export const countyAreasQuery = (countyCode: string) =>
  queryOptions({
    queryKey: areaKeys.county(countyCode),
    queryFn: () => loadCountyAreas(countyCode),
    staleTime: Number.POSITIVE_INFINITY,
  });
