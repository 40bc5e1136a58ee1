import { IN, OUT, type RouteCase } from './route-case.ts';

const areaOf = (target: 'in' | 'out') => (target === 'in' ? IN.village : OUT.village);

/** A route that reviews one area: an area outside the caller's scope (红江村) is not found. */
const byArea = (path: (code: string) => string): RouteCase => ({
  probe: (target) => ({ method: 'GET', path: path(areaOf(target)) }),
  ok: 200,
  outOfScope: 'not-found',
});

/** The urban-rural comparison: the county's two aggregates for all, township rows only of the caller's scope. */
const urbanRural = (path: string): RouteCase => ({
  probe: () => ({ method: 'GET', path }),
  ok: 200,
  outOfScope: 'cut',
  leaks: async (response) => {
    if (response.headers.get('Content-Type')?.includes('json') !== true) return true;
    const body = (await response.clone().json()) as { townships: { code: string }[] };
    return body.townships.some((township) => township.code === OUT.township);
  },
  // The XLSX is not read here: a county-wide account gets every township (review-scope.test.ts reads the sheet).
});

/**
 * The review routes' entries of the access matrix (api/review/routes.ts). That the figures are cut
 * to scope in the database, and that a township leader sees no other township's row, is tested in
 * review-scope.test.ts.
 */
export const REVIEW_ROUTES: Record<string, RouteCase> = {
  'GET /api/review/areas/:code': byArea((code) => `/api/review/areas/${code}?from=2026-01&to=2026-03`),
  'GET /api/review/areas/:code/trend': byArea((code) => `/api/review/areas/${code}/trend?from=2026-01&to=2026-03`),
  'GET /api/review/areas/:code/cases': byArea((code) => `/api/review/areas/${code}/cases?kpi=closure&month=2026-01`),
  'GET /api/review/areas/:code/cases/export.xlsx': byArea(
    (code) => `/api/review/areas/${code}/cases/export.xlsx?kpi=closure&month=2026-01`,
  ),
  'GET /api/review/areas/:code/export.xlsx': byArea((code) => `/api/review/areas/${code}/export.xlsx?from=2026-01&to=2026-01`),
  'GET /api/review/areas/:code/trend/export.xlsx': byArea(
    (code) => `/api/review/areas/${code}/trend/export.xlsx?from=2026-01&to=2026-01`,
  ),
  'GET /api/review/workers': byArea((code) => `/api/review/workers?area=${code}&from=2026-01&to=2026-01`),
  'GET /api/review/workers/export.xlsx': byArea((code) => `/api/review/workers/export.xlsx?area=${code}&from=2026-01&to=2026-01`),
  'GET /api/review/urban-rural': urbanRural('/api/review/urban-rural?from=2026-01&to=2026-01'),
  'GET /api/review/urban-rural/export.xlsx': {
    probe: () => ({ method: 'GET', path: '/api/review/urban-rural/export.xlsx?from=2026-01&to=2026-01' }),
    ok: 200,
    outOfScope: 'no-scope',
  },
  'GET /api/review/departments': byArea((code) => `/api/review/departments?area=${code}&from=2026-01&to=2026-01`),
  'GET /api/review/departments/export.xlsx': byArea(
    (code) => `/api/review/departments/export.xlsx?area=${code}&from=2026-01&to=2026-01`,
  ),
};
