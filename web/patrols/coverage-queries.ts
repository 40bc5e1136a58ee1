import { queryOptions } from '@tanstack/react-query';
import { loadFailedTitle } from '../query-client.ts';
import { fetchAreaCoverage, fetchCellDays } from './coverage-api.ts';

/**
 * Coverage changes as batches arrive, a few cells a minute: read again every minute while shown.
 * No live event carries it, and a read is no audit row (an aggregate, not a track), so a timer is fine.
 */
const COVERAGE_REFRESH_MS = 60_000;

/** Keys of the coverage reads, inside the patrols capability's `patrols` prefix. */
const coverageKeys = {
  area: (code: string) => ['patrols', 'coverage', 'area', code] as const,
  cells: (code: string) => ['patrols', 'coverage', 'cells', code] as const,
};

/** The 1/7/30-day shares of an area and its children. */
export const areaCoverageQuery = (code: string, enabled: boolean) =>
  queryOptions({
    queryKey: coverageKeys.area(code),
    queryFn: ({ signal }) => fetchAreaCoverage(code, signal),
    enabled,
    refetchInterval: COVERAGE_REFRESH_MS,
    meta: { errorTitle: loadFailedTitle },
  });

/** Days since each cell of the area was last walked, for the map's coverage mode. */
export const cellDaysQuery = (code: string, enabled: boolean) =>
  queryOptions({
    queryKey: coverageKeys.cells(code),
    queryFn: ({ signal }) => fetchCellDays(code, signal),
    enabled,
    refetchInterval: COVERAGE_REFRESH_MS,
    meta: { errorTitle: loadFailedTitle },
  });
