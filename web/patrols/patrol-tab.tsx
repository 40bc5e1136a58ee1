import './patrol.css';
import { useEffect, useState } from 'react';
import { handleError } from '../handle-error.ts';
import { fill, formatTimeOfDay } from '../i18n.ts';
import { patrolRecorder, type RecorderState } from './patrol-recorder.ts';
import { usePatrolStrings } from './patrol-strings.ts';

/** h:mm:ss of a span in ms. */
function clock(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${Math.floor(seconds / 3600)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}

function distanceText(metres: number): string {
  return metres < 1000 ? `${Math.round(metres)} m` : `${(metres / 1000).toFixed(2)} km`;
}

function useRecorder(): RecorderState {
  const [state, setState] = useState<RecorderState>({ patrol: null, pending: 0, lastFix: null, locationProblem: null });
  useEffect(() => patrolRecorder.subscribe(setState), []);
  return state;
}

/** Ticks every second while `running`, for the duration. */
function useNow(running: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}

/**
 * The field page's patrol tab: one tap starts, one tap ends; while it runs, the time, the distance,
 * the cells walked (the server's count after each batch) and what is still on the phone, and a
 * plain note that the screen must stay on. Recording itself lives in patrol-recorder.ts, so it goes
 * on while the worker reports a hazard on another tab.
 */
export default function PatrolTab() {
  const { p } = usePatrolStrings();
  const { patrol, pending, lastFix, locationProblem } = useRecorder();
  const running = patrol !== null && patrol.endedAt === null;
  const now = useNow(running);
  const [starting, setStarting] = useState(false);

  const act = (work: () => Promise<void>) => {
    setStarting(true);
    work()
      .catch(handleError)
      .finally(() => setStarting(false));
  };

  const distanceM = patrol ? (patrol.server && !running ? patrol.server.distanceM : patrol.localDistanceM) : 0;
  return (
    <section className="pt-tab" data-testid="patrol-tab" data-running={running}>
      {running ? (
        <button
          type="button"
          className="pt-toggle stop"
          disabled={starting}
          onClick={() => act(() => patrolRecorder.stop())}
          data-testid="patrol-stop"
        >
          {p.stop}
        </button>
      ) : (
        <button
          type="button"
          className="pt-toggle start"
          disabled={starting}
          onClick={() => act(() => patrolRecorder.start())}
          data-testid="patrol-start"
        >
          {p.start}
        </button>
      )}
      {running && (
        <p className="pt-note" data-testid="patrol-screen-note">
          {p.screenOn}
        </p>
      )}
      {locationProblem && running && <p className="pt-problem">{p[locationProblem]}</p>}
      {patrol && (
        <div className="pt-card">
          <h2>{running ? p.running : p.lastPatrol}</h2>
          <dl className="pt-figures">
            <div>
              <dt>{p.duration}</dt>
              <dd data-testid="patrol-duration">{clock((patrol.endedAt ?? now) - patrol.startedAt)}</dd>
            </div>
            <div>
              <dt>{p.distance}</dt>
              <dd data-testid="patrol-distance">{distanceText(distanceM)}</dd>
            </div>
            <div>
              <dt>{p.cells}</dt>
              <dd data-testid="patrol-cells">{patrol.server ? patrol.server.cellsWalked : '—'}</dd>
            </div>
          </dl>
          <p className="pt-status" data-testid="patrol-pending" data-pending={pending}>
            {pending > 0 ? fill(p.pending, { n: pending }) : p.allSent}
            {running && (lastFix ? ` · ${fill(p.accuracy, { m: Math.round(lastFix.accuracyM) })}` : ` · ${p.waitingFix}`)}
          </p>
          {patrol.reportClientIds.length > 0 && (
            <p className="pt-status">{fill(p.linkedReports, { n: patrol.reportClientIds.length })}</p>
          )}
          {patrol.endedAt !== null && (
            <p className="pt-status">
              {fill(p.ended, { time: formatTimeOfDay(patrol.endedAt) })}
              {!patrol.endSent && ` · ${p.endSending}`}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
