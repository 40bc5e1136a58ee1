import { randomUUID } from 'node:crypto';
import { createRandomStream } from '../../geo/seeded-random.ts';
import type { Principal } from '../app-env.ts';
import type { Database } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { appendLiveEvent } from '../live/events.ts';
import { REPORT_TYPE_CODES, REPORT_TYPES, type ReportType } from '../reports/report-types.ts';
import type { ReportsService } from '../reports/service.ts';
import { descriptionOf } from './descriptions.ts';
import type { DemoPlace } from './history.ts';
import { demoRepository } from './repository.ts';

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

/**
 * Drill mode (演练): while on, a stream of synthetic reports arrives in the scope of whoever started
 * it, through the same path as a real one (point-in-polygon, clock, timeline, live events), marked
 * as a drill, so a demonstration never shows a dead map. One drill per process.
 */
export function drillService(db: Database, reports: ReportsService) {
  const random = createRandomStream(Date.now() % 2 ** 31, 'drill');
  let status: DrillStatus = {
    running: false,
    intervalSeconds: DRILL_INTERVAL.default,
    scopeCode: null,
    startedBy: null,
    startedAt: null,
    reportsFiled: 0,
  };
  let timer: NodeJS.Timeout | null = null;
  let places: DemoPlace[] = [];
  let starter: Principal | null = null;

  const announce = async (scopeCode: string) => {
    await db.transaction((tx) => appendLiveEvent(tx, { type: 'drill.changed', scopeCode, payload: { drill: status } }));
  };

  async function fileOne(): Promise<void> {
    if (!starter || places.length === 0) return;
    const place = random.pick(places);
    const rainy = random.next() < 0.5;
    const types = REPORT_TYPE_CODES.filter((type) => type !== 'other' || random.next() < 0.3);
    const type: ReportType =
      rainy && !place.urban ? random.pick(['landslide', 'rockfall', 'flood'] as const) : random.pick(types);
    const urgent = random.next() < (REPORT_TYPES[type].geohazard ? 0.4 : 0.12);
    // A few metres from the door: the phone's fix is never exactly on the house.
    const jitter = () => (random.next() - 0.5) * 0.0004;
    const informant = place.informant ?? '信息员';
    await reports.create(
      { ...starter, displayName: `${informant}（演练）`, role: 'cell_informant' },
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
    status = { ...status, reportsFiled: status.reportsFiled + 1 };
  }

  function schedule(): void {
    const seconds = status.intervalSeconds * (0.5 + random.next());
    timer = setTimeout(() => {
      fileOne()
        .catch((error: unknown) => {
          // A drill report that cannot be filed (a point at the county's edge) is skipped, not fatal.
          if (!(error instanceof AppError)) console.error('drill report failed', error);
        })
        .finally(() => {
          if (status.running) schedule();
        });
    }, seconds * 1000);
    timer.unref();
  }

  function stopTimer(): void {
    if (timer) clearTimeout(timer);
    timer = null;
  }

  db.onClose(async () => stopTimer());

  return {
    status: (): DrillStatus => status,

    async start(principal: Principal, intervalSeconds: number): Promise<DrillStatus> {
      places = await demoRepository(db).places(principal.scopeCode, 25);
      if (places.length === 0) {
        throw new AppError(409, 'drill_no_places', {
          zh: '您的管辖范围内没有住户，无法生成演练上报',
          en: 'There are no households in your scope to file drill reports from',
        });
      }
      stopTimer();
      starter = principal;
      status = {
        running: true,
        intervalSeconds,
        scopeCode: principal.scopeCode,
        startedBy: principal.displayName,
        startedAt: new Date().toISOString(),
        reportsFiled: 0,
      };
      await announce(principal.scopeCode);
      await fileOne().catch((error: unknown) => {
        if (!(error instanceof AppError)) throw error;
      });
      schedule();
      return status;
    },

    async stop(principal: Principal): Promise<DrillStatus> {
      stopTimer();
      const scopeCode = status.scopeCode ?? principal.scopeCode;
      status = { ...status, running: false };
      starter = null;
      await announce(scopeCode);
      return status;
    },
  };
}

export type DrillService = ReturnType<typeof drillService>;
