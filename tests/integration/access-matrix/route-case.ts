import type { Database } from '../../../api/db/client.ts';
import { insertTestReport } from '../support/reports.ts';

/** In every test account's scope: 王坪村 (沙溪镇), its first grid and first cell. */
export const IN = { village: '511921108209', grid: '511921108209001', cell: '511921108209001001' };
/** Outside every scope but the county's: 红江村 (涪阳镇). */
export const OUT = { village: '511921112200', township: '511921112' };

export type Target = 'in' | 'out';
interface Probe {
  method: string;
  path: string;
  body?: unknown;
}
/** How a route answers a target that is outside the caller's scope. */
type OutOfScope = 'not-found' | 'forbidden' | 'cut' | 'no-scope';

export interface RouteCase {
  probe: (target: Target, ctx: CaseContext) => Promise<Probe> | Probe;
  /** Status of an allowed, in-scope request. */
  ok: number;
  outOfScope: OutOfScope;
  /** County-wide settings: an account scoped below the county gets 403 even where its role allows the action. */
  countyOnly?: boolean;
  keyedToCase?: boolean; // reads one case (of ctx.caseType): a cadre finds one off its lines as if out of scope
  /** For `cut`: true when the answer holds something of the out-of-scope target. */
  leaks?: (response: Response) => Promise<boolean>;
  /**
   * The statuses a role gets for the in-scope and out-of-scope targets where a rule past the action
   * decides (a department cadre sees no patrol, not even its own); undefined for the usual answers.
   */
  refusedFor?: (role: string) => [inScope: number, outOfScope: number] | undefined;
  /**
   * For `cut`: whether a county-wide account of this role is given the out-of-scope target at all
   * (default yes). An inbox lists only what waits for the caller's own work.
   */
  countyWideGets?: (role: string) => boolean;
}

export interface CaseContext {
  db: Database;
  role: string;
  username: string;
  departmentCode: string; // the caller's department (a cadre's own), cases are dispatched to it
  caseType?: string; // of the cases the probe writes: a landslide by default, of both test cadres' lines
  fresh: (scopeCode: string) => Promise<string>;
}

export const caseIn = (ctx: CaseContext, cellCode: string) => insertTestReport(ctx.db, { type: ctx.caseType, cellCode });

export const json = async (response: Response) => JSON.stringify(await response.clone().json());
