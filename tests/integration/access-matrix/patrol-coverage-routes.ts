import { IN, OUT, type RouteCase } from './route-case.ts';

/**
 * The patrol coverage routes' entries of the access matrix (api/patrols/coverage-routes.ts): an
 * area in the caller's scope (王坪村, inside every test account's scope that may view patrols), or
 * one outside it (红江村), which is not found. That the figures themselves are cut to scope in the
 * database is tested in patrol-coverage.test.ts.
 */
export const PATROL_COVERAGE_ROUTES: Record<string, RouteCase> = Object.fromEntries(
  ['/api/patrols/coverage', '/api/patrols/coverage/cells'].map((path) => [
    `GET ${path}`,
    {
      probe: (target) => ({ method: 'GET', path: `${path}?area=${target === 'in' ? IN.village : OUT.village}` }),
      ok: 200,
      outOfScope: 'not-found',
    } satisfies RouteCase,
  ]),
);
