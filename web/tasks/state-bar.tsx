import type { TargetCounts, TargetState } from '../../api/vocabulary/tasks.ts';
import { TARGET_STATES } from '../../api/vocabulary/tasks.ts';
import { useTasksStrings } from './tasks-strings.ts';

/** Furthest first: the bar fills from the left with what is done. */
export const STATES_FURTHEST_FIRST: readonly TargetState[] = ['done', 'acknowledged', 'read', 'delivered', 'pending'];

/**
 * A task's progress: one bar of its targets by state (done, acknowledged, read, delivered,
 * pending) in the vocabulary's colours, with the counts spelled out for a screen reader and a tooltip.
 */
export function StateBar({ counts }: { counts: TargetCounts }) {
  const { lang } = useTasksStrings();
  const total = STATES_FURTHEST_FIRST.reduce((sum, state) => sum + counts[state], 0);
  const text = STATES_FURTHEST_FIRST.map((state) => `${TARGET_STATES[state][lang]} ${counts[state]}`).join(' · ');
  return (
    <div className="state-bar" role="img" aria-label={text} title={text} data-testid="state-bar">
      {total > 0 &&
        STATES_FURTHEST_FIRST.map((state) =>
          counts[state] > 0 ? (
            <span
              key={state}
              className="state-bar-part"
              data-state={state}
              style={{ width: `${(100 * counts[state]) / total}%`, background: TARGET_STATES[state].hex }}
            />
          ) : null,
        )}
    </div>
  );
}

/** The states with their colour and count, as the monitor's legend. */
export function StateLegend({ counts }: { counts: TargetCounts }) {
  const { lang } = useTasksStrings();
  return (
    <ul className="state-legend" data-testid="state-legend">
      {STATES_FURTHEST_FIRST.map((state) => (
        <li key={state} data-state={state}>
          <span className="state-swatch" style={{ background: TARGET_STATES[state].hex }} aria-hidden="true" />
          <span>{TARGET_STATES[state][lang]}</span>
          <strong data-testid={`count-${state}`}>{counts[state]}</strong>
        </li>
      ))}
    </ul>
  );
}
