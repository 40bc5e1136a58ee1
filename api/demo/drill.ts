import { randomUUID } from 'node:crypto';
import { isWithinScope } from '../../geo/area-codes.ts';
import { createRandomStream } from '../../geo/seeded-random.ts';
import type { Principal } from '../app-env.ts';
import type { Database } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { appendLiveEvent } from '../live/events.ts';
import type { ReportsService } from '../reports/service.ts';
import { REPORT_TYPE_CODES, REPORT_TYPES, type ReportType } from '../vocabulary/report-types.ts';
import { descriptionOf } from './descriptions.ts';
import type { DemoPlace } from './history.ts';
import { demoRepository } from './repository.ts';
import type { DemoWalkers } from './walkers.ts';

export interface DrillStatus {
  running: boolean;
  /** Seconds between two drill reports, on average (each gap is drawn between half and one and a half of it). */
  intervalSeconds: number;
  scopeCode: string | null;
  startedBy: string | null;
  startedAt: string | null;
  reportsFiled: number;
}

export const DRILL_INTERVAL = { min: 5, max: 600, default: 45 } as const;

/** One running drill: its status, the places it files from, who started it, its timer. */
interface Drill {
  status: DrillStatus;
  places: DemoPlace[];
  starter: Principal;
  timer: NodeJS.Timeout | null;
}

const drillOutsideScope = (scopeCode: string) =>
  new AppError(
    403,
    'drill_outside_scope',
    { zh: '只能开启或停止您管辖范围内的演练', en: 'You can start or stop drills only inside your own scope' },
    { scopeCode },
  );

/** Two scopes overlap when one holds the other: a drill in either is the other's business. */
function overlaps(a: string, b: string): boolean {
  return isWithinScope(a, b) || isWithinScope(b, a);
}

/**
 * Drill mode (演练): while on, a stream of synthetic reports arrives in the drill's scope, through
 * the same path as a real one (point-in-polygon, clock, timeline, live events), marked as a drill,
 * so a demonstration never shows a dead map. Drills belong to a scope: several run at once (the
 * county's, a township's), one per scope; each is seen only by accounts whose scope overlaps it,
 * and started or stopped only by those allowed to run drills whose scope holds it. Kept in this
 * process: a drill is a demonstration, and ends with the process. While a drill runs, the grid
 * workers of its scope walk their grids (api/demo/walkers.ts), when the demo walkers are on.
 */
export function drillService(
  db: Database,
  reports: ReportsService,
  walkers?: Pick<DemoWalkers, 'drillStarted' | 'drillStopped'>,
) {
  const random = createRandomStream(Date.now() % 2 ** 31, 'drill');
  const drills = new Map<string, Drill>();

  const idle = (scopeCode: string): DrillStatus => ({
    running: false,
    intervalSeconds: DRILL_INTERVAL.default,
    scopeCode,
    startedBy: null,
    startedAt: null,
    reportsFiled: 0,
  });

  const announce = async (status: DrillStatus) => {
    const scopeCode = status.scopeCode ?? '';
    await db.transaction((tx) => appendLiveEvent(tx, { type: 'drill.changed', scopeCode, payload: { drill: status } }));
  };

  async function fileOne(drill: Drill): Promise<void> {
    if (drill.places.length === 0) return;
    const place = random.pick(drill.places);
    const rainy = random.next() < 0.5;
    const types = REPORT_TYPE_CODES.filter((type) => type !== 'other' || random.next() < 0.3);
    const type: ReportType =
      rainy && !place.urban ? random.pick(['landslide', 'rockfall', 'flood'] as const) : random.pick(types);
    const urgent = random.next() < (REPORT_TYPES[type].geohazard ? 0.4 : 0.12);
    // A few metres from the door: the phone's fix is never exactly on the house.
    const jitter = () => (random.next() - 0.5) * 0.0004;
    const informant = place.informant ?? '信息员';
    await reports.create(
      { ...drill.starter, displayName: `${informant}（演练）`, role: 'cell_informant' },
      {
        fields: {
          clientId: randomUUID(),
          type,
          urgency: urgent ? 'urgent' : 'normal',
          description: `【演练】${descriptionOf(type, random)}`,
          lng: place.lng + jitter(),
          lat: place.lat + jitter(),
          datum: 'wgs84',
          accuracyM: Math.round(5 + random.next() * 20),
        },
        photos: [],
      },
      { source: 'drill' },
    );
    drill.status = { ...drill.status, reportsFiled: drill.status.reportsFiled + 1 };
  }

  function schedule(drill: Drill): void {
    const seconds = drill.status.intervalSeconds * (0.5 + random.next());
    drill.timer = setTimeout(() => {
      fileOne(drill)
        .catch((error: unknown) => {
          // A drill report that cannot be filed (a point at the county's edge) is skipped, not fatal.
          if (!(error instanceof AppError)) console.error('drill report failed', error);
        })
        .finally(() => {
          if (drills.get(drill.status.scopeCode ?? '') === drill) schedule(drill);
        });
    }, seconds * 1000);
    drill.timer.unref();
  }

  function end(drill: Drill): void {
    if (drill.timer) clearTimeout(drill.timer);
    drill.timer = null;
    drills.delete(drill.status.scopeCode ?? '');
    walkers?.drillStopped(drill.status.scopeCode ?? '');
  }

  db.onClose(async () => {
    for (const drill of [...drills.values()]) end(drill);
  });

  return {
    /** The drill at the viewer's own scope (running or not), and every running drill the viewer may see. */
    status(viewer: Principal): { drill: DrillStatus; drills: DrillStatus[] } {
      const own = drills.get(viewer.scopeCode)?.status ?? idle(viewer.scopeCode);
      const visible = [...drills.values()]
        .map((drill) => drill.status)
        .filter((status) => overlaps(status.scopeCode ?? '', viewer.scopeCode))
        .sort((a, b) => (a.scopeCode ?? '').localeCompare(b.scopeCode ?? ''));
      return { drill: own, drills: visible };
    },

    /** Starts (or restarts, with a new interval) the drill of `scopeCode`, which must lie within the principal's scope. */
    async start(principal: Principal, intervalSeconds: number, scopeCode = principal.scopeCode): Promise<DrillStatus> {
      if (!isWithinScope(scopeCode, principal.scopeCode)) throw drillOutsideScope(scopeCode);
      const places = await demoRepository(db).places(scopeCode, 25);
      if (places.length === 0) {
        throw new AppError(409, 'drill_no_places', {
          zh: '该范围内没有住户，无法生成演练上报',
          en: 'There are no households in that scope to file drill reports from',
        });
      }
      const previous = drills.get(scopeCode);
      if (previous) end(previous);
      const drill: Drill = {
        status: {
          running: true,
          intervalSeconds,
          scopeCode,
          startedBy: principal.displayName,
          startedAt: new Date().toISOString(),
          reportsFiled: 0,
        },
        places,
        starter: { ...principal, scopeCode },
        timer: null,
      };
      drills.set(scopeCode, drill);
      walkers?.drillStarted(scopeCode);
      await announce(drill.status);
      await fileOne(drill).catch((error: unknown) => {
        if (!(error instanceof AppError)) throw error;
      });
      schedule(drill);
      return drill.status;
    },

    /** Stops the drill of `scopeCode` (the principal's own by default); stopping one that is not running is no error. */
    async stop(principal: Principal, scopeCode = principal.scopeCode): Promise<DrillStatus> {
      if (!isWithinScope(scopeCode, principal.scopeCode)) throw drillOutsideScope(scopeCode);
      const drill = drills.get(scopeCode);
      if (!drill) return idle(scopeCode);
      end(drill);
      const stopped = { ...drill.status, running: false };
      await announce(stopped);
      return stopped;
    },
  };
}

export type DrillService = ReturnType<typeof drillService>;
