import { AREA_LEVEL_LABELS } from '../../api/vocabulary/area-levels.ts';
import { CASE_STATE_LABELS, CASE_STEP_LABELS, REQUEST_KIND_LABELS } from '../../api/vocabulary/case-states.ts';
import { AlertStepDetailsSchema, MergedInStepDetailsSchema, MergeStepDetailsSchema } from '../../api/vocabulary/case-timeline.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import { ROLE_LABELS } from '../../api/vocabulary/roles.ts';
import { fill, formatDateTime } from '../i18n.ts';
import { LIMIT_UNIT_NAMES, limitText, SATISFACTION_NAMES, useCaseStrings } from './case-strings.ts';
import type { CaseDetail, CaseStep } from './cases-api.ts';
import { photoUrl } from './cases-api.ts';
import { type TimelineStrings, useTimelineStrings } from './timeline-strings.ts';
import { useDepartmentNames } from './use-departments.ts';

function text(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

/**
 * The other case of a merge: its number when the reader may open it, otherwise only whether it
 * lies in the reader's township (the server cut it: api/vocabulary/case-timeline.ts).
 */
function mergeFacts(step: CaseStep, t: TimelineStrings): string[] {
  if (step.action === 'merge') {
    const parsed = MergeStepDetailsSchema.safeParse(step.details);
    if (!parsed.success) return [];
    const into = parsed.data;
    if ('intoOutside' in into) return [into.intoOutside.inOwnTownship ? t.mergedIntoOwnTownship : t.mergedIntoOtherTownship];
    return [`→ ${into.intoCaseNumber}`];
  }
  if (step.action === 'merged_in') {
    const parsed = MergedInStepDetailsSchema.safeParse(step.details);
    if (!parsed.success) return [];
    const from = parsed.data;
    if ('fromOutside' in from) return [from.fromOutside.inOwnTownship ? t.mergedFromOwnTownship : t.mergedFromOtherTownship];
    return [`← ${from.fromCaseNumber}`];
  }
  return [];
}

/** Everyone alerted: those in the reader's area, and counts of the others ("35 人，分属 2 个其他乡镇"). */
function alertFacts(step: CaseStep, c: { peopleToAlert: string }, t: TimelineStrings): string[] {
  if (step.action !== 'alert') return [];
  const parsed = AlertStepDetailsSchema.safeParse(step.details);
  if (!parsed.success) return [];
  const { alerted, alertedOutside, reason } = parsed.data;
  const total = alerted.length + (alertedOutside?.count ?? 0);
  const facts = [`${reason === 'nearby' ? t.alertedNearby : c.peopleToAlert}：${total}`];
  if (!alertedOutside) return facts;
  facts.push(fill(t.alertedInScope, { n: alerted.length }));
  if (alertedOutside.inOwnTownship > 0) facts.push(fill(t.alertedOwnTownship, { n: alertedOutside.inOwnTownship }));
  const elsewhere = alertedOutside.count - alertedOutside.inOwnTownship;
  if (elsewhere > 0) facts.push(fill(t.alertedOtherTownships, { n: elsewhere, townships: alertedOutside.otherTownships }));
  return facts;
}

/** What a step's details say that its action and note do not: where it was dispatched, the new deadline, the score. */
function useStepFacts(): (step: CaseStep, detail: CaseDetail) => string[] {
  const { lang, c } = useCaseStrings();
  const t = useTimelineStrings();
  const departmentName = useDepartmentNames();
  return (step, detail) => {
    const details = step.details ?? {};
    const facts: string[] = [];
    const township = text(details.townshipCode);
    if (township)
      facts.push(`${c.township}：${township === detail.townshipCode ? (detail.areas.township.name ?? township) : township}`);
    const department = text(details.departmentCode);
    if (department) facts.push(`${c.department}：${departmentName(department)}`);
    if (Array.isArray(details.coDepartmentCodes) && details.coDepartmentCodes.length > 0) {
      const names = details.coDepartmentCodes.map((code) => departmentName(String(code)));
      facts.push(`${c.coHandling}：${names.join('、')}`);
    }
    const level = text(details.toLevel) ?? text(details.level);
    if (step.action === 'escalate' && level) facts.push(`${c.responsibleLevel}：${labelOf(AREA_LEVEL_LABELS, lang, level)}`);
    if (typeof details.passed === 'boolean') facts.push(details.passed ? c.checkPassed : c.checkFailed);
    if (typeof details.satisfaction === 'number') {
      facts.push(`${c.satisfaction}：${details.satisfaction} · ${SATISFACTION_NAMES[lang][details.satisfaction - 1] ?? ''}`);
    }
    const request = details.request as { kind?: string; amount?: number; unit?: string } | undefined;
    // An approved extension says which clock it was counted on; a request only names its unit.
    const extension = details.extension as { amount?: number; unit?: string; clock?: string } | undefined;
    if (request?.kind) {
      const amount =
        extension?.amount !== undefined
          ? ` +${limitText(lang, extension.amount, extension.unit ?? null, extension.clock)}`
          : request.amount !== undefined
            ? ` +${request.amount} ${labelOf(LIMIT_UNIT_NAMES, lang, request.unit)}`
            : '';
      facts.push(`${labelOf(REQUEST_KIND_LABELS, lang, request.kind)}${amount}`);
    }
    const due = text(details.dueAt);
    if (due) facts.push(`${c.dueAt}：${formatDateTime(due)}`);
    if (step.action === 'control_zone' && typeof details.areaM2 === 'number') {
      facts.push(`${c.controlZone}：${(details.areaM2 / 1_000_000).toFixed(2)} km²`);
    }
    facts.push(...mergeFacts(step, t), ...alertFacts(step, c, t));
    return facts;
  };
}

/** The case's steps, oldest first: when, who (and in what role), what, the state it led to, the note, the photos. */
export function CaseTimeline({ detail }: { detail: CaseDetail }) {
  const { lang, c } = useCaseStrings();
  const factsOf = useStepFacts();
  if (detail.steps.length === 0) return <p className="muted">{c.noTimeline}</p>;
  return (
    <ol className="case-timeline" data-testid="case-timeline">
      {detail.steps.map((step) => (
        <li key={step.id} className="timeline-step" data-action={step.action} data-to-state={step.toState}>
          <div className="timeline-head">
            <strong className="timeline-action">{labelOf(CASE_STEP_LABELS, lang, step.action)}</strong>
            {step.fromState !== step.toState && (
              <span className="state-tag" data-state={step.toState}>
                {labelOf(CASE_STATE_LABELS, lang, step.toState)}
              </span>
            )}
            <time className="timeline-time" dateTime={step.at}>
              {formatDateTime(step.at)}
            </time>
          </div>
          <div className="timeline-who">
            {step.actorName}
            {step.actorRole !== 'system' && <span className="muted"> · {labelOf(ROLE_LABELS, lang, step.actorRole)}</span>}
          </div>
          {step.note && <p className="timeline-note">{step.note}</p>}
          {factsOf(step, detail).map((fact) => (
            <div key={fact} className="timeline-fact muted">
              {fact}
            </div>
          ))}
          {step.photoIds.length > 0 && (
            <div className="photo-strip">
              {step.photoIds.map((photoId) => (
                <a key={photoId} href={photoUrl(detail.id, photoId)} target="_blank" rel="noreferrer">
                  <img src={photoUrl(detail.id, photoId)} alt={c.photos} loading="lazy" className="photo-thumb" />
                </a>
              ))}
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}
