import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { client, ok } from '../api-client.ts';
import { useSession } from '../auth/session.ts';
import { handleError } from '../handle-error.ts';
import { useI18n } from '../i18n.ts';
import type { LiveInvalidations } from './live-invalidation.ts';
import { liveLine, useLiveInvalidation } from './live-invalidation.ts';

type Drills = Awaited<ReturnType<typeof fetchDrills>>;
type DrillStatus = Drills['drill'];

async function fetchDrills(signal?: AbortSignal) {
  return ok(client.api.drill.$get(undefined, { init: { signal } }));
}

/** The drills' one query (see web/query-client.ts for the pattern). */
const drillKeys = { all: ['drills'] as const };

const drillsQuery = () => queryOptions({ queryKey: drillKeys.all, queryFn: ({ signal }) => fetchDrills(signal) });

/** A drill started or stopped anywhere the account sees: read the drills again. */
const DRILL_LIVE_INVALIDATIONS: LiveInvalidations = {
  lines: [liveLine({ types: ['drill.changed'], keys: () => [drillKeys.all] })],
  onResync: [drillKeys.all],
};

/**
 * The drills the server shows this account (its own scope's, and every running one that overlaps
 * its scope), read again on each drill.changed event: several drills may run at once.
 */
function useDrills(enabled: boolean): [Drills | null, () => void] {
  const queryClient = useQueryClient();
  const { data } = useQuery({ ...drillsQuery(), enabled });
  useLiveInvalidation(DRILL_LIVE_INVALIDATIONS, enabled);
  const reload = useCallback(() => void queryClient.invalidateQueries({ queryKey: drillKeys.all }), [queryClient]);
  return [data ?? null, reload];
}

/** Whether the drill of the viewer's own scope runs (the tasks page offers a practice task then). */
export function useOwnDrillRunning(): boolean {
  const { can } = useSession();
  const [drills] = useDrills(can('drill.run'));
  return drills?.drill.running ?? false;
}

/** A mark in the top bar while a drill runs in or around the viewer's scope, so nobody takes a drill report for a real one. */
export function DrillBadge() {
  const { lang } = useI18n();
  const { can } = useSession();
  const [drills] = useDrills(can('cases.view'));
  if (!drills || drills.drills.length === 0) return null;
  return (
    <span className="drill-badge" role="status" data-testid="drill-badge">
      {lang === 'zh' ? '演练中' : 'Drill'}
    </span>
  );
}

/** Start or stop the drill of the viewer's scope, and stop one running inside it (roles with drill.run), in the account menu. */
export function DrillToggle() {
  const { lang } = useI18n();
  const { can, me } = useSession();
  const allowed = can('drill.run');
  const [drills, reload] = useDrills(allowed);
  const [busy, setBusy] = useState(false);
  const set = useCallback(
    async (running: boolean, scopeCode: string) => {
      setBusy(true);
      try {
        await ok(client.api.drill.$put({ json: { running, intervalSeconds: 45, scopeCode } }));
        reload();
      } catch (error) {
        handleError(error);
      } finally {
        setBusy(false);
      }
    },
    [reload],
  );
  if (!allowed || !drills) return null;
  const zh = lang === 'zh';
  const own: DrillStatus = drills.drill;
  const inside = drills.drills.filter(
    (drill) => drill.scopeCode !== me.scopeCode && (drill.scopeCode ?? '').startsWith(me.scopeCode),
  );
  return (
    <div className="drill-toggle">
      <button
        type="button"
        className={own.running ? 'button danger' : 'button'}
        disabled={busy}
        onClick={() => set(!own.running, me.scopeCode)}
      >
        {own.running ? (zh ? '停止演练' : 'Stop the drill') : zh ? '开始演练' : 'Start a drill'}
      </button>
      <small className="muted">
        {own.running
          ? zh
            ? `演练中：已生成 ${own.reportsFiled} 条演练上报`
            : `Drill on: ${own.reportsFiled} drill reports filed`
          : zh
            ? '演练模式每隔约 45 秒在您的范围内生成一条标记为演练的上报'
            : 'Drill mode files a report marked as a drill in your scope about every 45 s'}
      </small>
      {inside.map((drill) => (
        <button
          key={drill.scopeCode}
          type="button"
          className="button danger"
          disabled={busy}
          data-testid="stop-inner-drill"
          onClick={() => set(false, drill.scopeCode ?? me.scopeCode)}
        >
          {zh
            ? `停止 ${drill.scopeCode} 的演练（${drill.startedBy ?? ''}，${drill.reportsFiled} 条）`
            : `Stop the drill of ${drill.scopeCode} (${drill.startedBy ?? ''}, ${drill.reportsFiled} reports)`}
        </button>
      ))}
    </div>
  );
}
