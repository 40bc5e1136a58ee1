import { useCallback, useEffect, useState } from 'react';
import { client, ok } from '../api-client.ts';
import { useSession } from '../auth/session.ts';
import { handleError } from '../handle-error.ts';
import { useI18n } from '../i18n.ts';
import { useLiveEvents } from './live-stream.ts';

type DrillStatus = Awaited<ReturnType<typeof fetchDrill>>;

async function fetchDrill(signal?: AbortSignal) {
  return (await ok(client.api.drill.$get(undefined, { init: { signal } }))).drill;
}

/** Drill mode as the server has it, kept current by the live stream's drill.changed events. */
function useDrill(enabled: boolean): [DrillStatus | null, (status: DrillStatus) => void] {
  const [status, setStatus] = useState<DrillStatus | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    fetchDrill(controller.signal).then(setStatus, (error: unknown) => {
      if (!controller.signal.aborted) handleError(error);
    });
    return () => controller.abort();
  }, [enabled]);
  useLiveEvents(enabled ? ['drill.changed'] : [], (message) => {
    const drill = (message.payload as { drill?: DrillStatus }).drill;
    if (drill) setStatus(drill);
  });
  return [status, setStatus];
}

/** A mark in the top bar while drill mode is on, so nobody takes a drill report for a real one. */
export function DrillBadge() {
  const { lang } = useI18n();
  const { can } = useSession();
  const [status] = useDrill(can('cases.view'));
  if (!status?.running) return null;
  return (
    <span className="drill-badge" role="status" data-testid="drill-badge">
      {lang === 'zh' ? '演练中' : 'Drill'}
    </span>
  );
}

/** Start or stop drill mode (roles with drill.run), in the account menu. */
export function DrillToggle() {
  const { lang } = useI18n();
  const { can } = useSession();
  const allowed = can('drill.run');
  const [status, setStatus] = useDrill(allowed);
  const [busy, setBusy] = useState(false);
  const toggle = useCallback(async () => {
    setBusy(true);
    try {
      const running = !status?.running;
      setStatus((await ok(client.api.drill.$put({ json: { running, intervalSeconds: 45 } }))).drill);
    } catch (error) {
      handleError(error);
    } finally {
      setBusy(false);
    }
  }, [status, setStatus]);
  if (!allowed || !status) return null;
  const zh = lang === 'zh';
  return (
    <div className="drill-toggle">
      <button type="button" className={status.running ? 'button danger' : 'button'} disabled={busy} onClick={toggle}>
        {status.running ? (zh ? '停止演练' : 'Stop the drill') : zh ? '开始演练' : 'Start a drill'}
      </button>
      <small className="muted">
        {status.running
          ? zh
            ? `演练中：已生成 ${status.reportsFiled} 条演练上报`
            : `Drill on: ${status.reportsFiled} drill reports filed`
          : zh
            ? '演练模式每隔约 45 秒在您的范围内生成一条标记为演练的上报'
            : 'Drill mode files a report marked as a drill in your scope about every 45 s'}
      </small>
    </div>
  );
}
