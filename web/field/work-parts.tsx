import { useEffect, useState } from 'react';
import { CASE_STEP_LABELS } from '../../api/vocabulary/case-states.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import { ApiError } from '../api-client.ts';
import { LIGHT_NAMES, STAGE_NAMES } from '../cases/case-strings.ts';
import type { CaseDetail } from '../cases/cases-api.ts';
import { actOnCase, uploadCasePhotos } from '../cases/cases-api.ts';
import { newClientId } from '../client-id.ts';
import { handleError, showNotice } from '../handle-error.ts';
import type { Language } from '../i18n.ts';
import { fill } from '../i18n.ts';
import type { WorkAction } from './my-work-api.ts';
import type { MY_WORK_STRINGS } from './my-work-strings.ts';

type Strings = (typeof MY_WORK_STRINGS)[Language];

/** How often the time left on each card is brought up to date. */
const CLOCK_TICK_MS = 30_000;

/** "3 小时" / "2 天": the wall-clock time between now and a deadline, rounded to what a glance needs. */
function spanText(ms: number, w: Strings): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  if (minutes < 90) return fill(w.minutes, { n: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 48) return fill(w.hours, { n: hours });
  return fill(w.days, { n: Math.round(hours / 24) });
}

/** The deadline of the running stage in words: "签收时限 12-03 15:00 · 剩余 45 分钟". */
export function deadlineText(
  clock: { clockStage: string | null; dueAt: string | null },
  now: number,
  w: Strings,
  lang: Language,
): string {
  if (!clock.dueAt) return w.noClock;
  const due = new Date(clock.dueAt);
  const two = (value: number) => String(value).padStart(2, '0');
  const time = `${two(due.getMonth() + 1)}-${two(due.getDate())} ${two(due.getHours())}:${two(due.getMinutes())}`;
  const stage = clock.clockStage ? labelOf(STAGE_NAMES, lang, clock.clockStage) : '';
  const left = due.getTime() - now;
  const span = spanText(left, w);
  return `${fill(w.dueAt, { stage, time })} · ${left >= 0 ? fill(w.dueIn, { left: span }) : fill(w.overdueBy, { left: span })}`;
}

/** The current time, moving on every `CLOCK_TICK_MS`, so deadlines count down on screen. */
export function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), CLOCK_TICK_MS);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function LightChip({ light, lang }: { light: string; lang: Language }) {
  return (
    <span className="fp-light" data-light={light} data-testid="work-light">
      {labelOf(LIGHT_NAMES, lang, light)}
    </span>
  );
}

function isNetworkFailure(error: unknown): boolean {
  return (error instanceof TypeError && !(error instanceof ApiError)) || (error instanceof ApiError && error.status >= 500);
}

export interface WorkActionInput {
  caseId: string;
  version: number;
  action: WorkAction;
  /** Made once per form: sent again on a retry, so the server applies the action once. */
  clientId: string;
  note?: string;
  photos?: readonly Blob[];
}

export type WorkActionOutcome =
  | { kind: 'done'; detail: CaseDetail }
  /** The network or the server failed: the form stays as it is, and sending it again is safe. */
  | { kind: 'retry' }
  /** The case changed under the form (someone else acted): read it again. */
  | { kind: 'stale' }
  | { kind: 'refused' };

/**
 * Takes an inbox action: uploads the photos (the same bytes again give the same ids back), then
 * the action with the case version seen and the form's client id. Says what became of it.
 */
export async function takeWorkAction(input: WorkActionInput, w: Strings): Promise<WorkActionOutcome> {
  try {
    const photoIds = input.photos && input.photos.length > 0 ? await uploadCasePhotos(input.caseId, input.photos) : [];
    const result = await actOnCase(input.caseId, {
      action: input.action,
      clientId: input.clientId,
      version: input.version,
      ...(input.note ? { note: input.note } : {}),
      ...(photoIds.length > 0 ? { photoIds } : {}),
    });
    return { kind: 'done', detail: result.case };
  } catch (error) {
    if (isNetworkFailure(error)) {
      showNotice(w.actionFailed, w.actionRetry);
      return { kind: 'retry' };
    }
    if (error instanceof ApiError && (error.code === 'stale_case' || error.code === 'illegal_transition')) {
      showNotice(w.actionFailed, w.staleCase);
      return { kind: 'stale' };
    }
    handleError(error, w.actionFailed);
    return { kind: 'refused' };
  }
}

interface WorkActionButtonsProps {
  actions: readonly WorkAction[];
  /** An acknowledgment is being sent. */
  busy: boolean;
  lang: Language;
  w: Strings;
  /** Acknowledge is one tap: it is sent at once. */
  onAcknowledge: () => void;
  /** Any other action opens its form. */
  onOpen: (action: Exclude<WorkAction, 'acknowledge'>) => void;
  /** The action whose form is open, where the forms are on the same page. */
  openAction?: WorkAction | null;
}

/** The actions one may take on a case now, as large buttons: acknowledge at once, the others through their form. */
export function WorkActionButtons({ actions, busy, lang, w, onAcknowledge, onOpen, openAction }: WorkActionButtonsProps) {
  return (
    <div className="fp-work-actions">
      {actions.map((action) =>
        action === 'acknowledge' ? (
          <button
            key={action}
            type="button"
            className="button primary"
            disabled={busy}
            onClick={onAcknowledge}
            data-action={action}
          >
            {busy ? w.sending : labelOf(CASE_STEP_LABELS, lang, action)}
          </button>
        ) : (
          <button
            key={action}
            type="button"
            className={`button ${action === 'feedback' ? 'primary' : ''}`.trim()}
            aria-expanded={openAction === undefined ? undefined : openAction === action}
            onClick={() => onOpen(action)}
            data-action={action}
          >
            {labelOf(CASE_STEP_LABELS, lang, action)}
          </button>
        ),
      )}
    </div>
  );
}

/** The client id of an acknowledgment, kept per case version: a retried tap on 签收 is applied once. */
export type AcknowledgementMemory = { current: { version: number; clientId: string } | null };

/** Acknowledges a case in one tap (签收) and says so; answers what became of it. */
export async function acknowledgeCase(
  target: { id: string; version: number; caseNumber: string },
  memory: AcknowledgementMemory,
  w: Strings,
): Promise<WorkActionOutcome> {
  if (memory.current?.version !== target.version) memory.current = { version: target.version, clientId: newClientId() };
  const { clientId } = memory.current;
  const outcome = await takeWorkAction({ caseId: target.id, version: target.version, action: 'acknowledge', clientId }, w);
  if (outcome.kind === 'done') showNotice(fill(w.acknowledged, { number: target.caseNumber }));
  return outcome;
}
