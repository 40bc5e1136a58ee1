import { CASE_STEP_LABELS } from '../../api/vocabulary/case-states.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import { ROLE_LABELS } from '../../api/vocabulary/roles.ts';
import type { CaseDetail } from '../cases/cases-api.ts';
import { photoUrl } from '../cases/cases-api.ts';
import { formatDateTime } from '../i18n.ts';
import { useMyWorkStrings } from './my-work-strings.ts';

/** What has happened to a case, newest first, as the handler's case page lists it under the actions. */
export function WorkTimeline({ detail }: { detail: CaseDetail }) {
  const { w, lang } = useMyWorkStrings();
  return (
    <section className="fp-work-timeline" aria-label={w.timeline}>
      <h2 className="fp-label">{w.timeline}</h2>
      <ol>
        {[...detail.steps].reverse().map((step) => (
          <li key={step.id}>
            <span className="fp-card-meta">
              {formatDateTime(step.at).slice(5, 16)} · {step.actorName}（{labelOf(ROLE_LABELS, lang, step.actorRole)}）
            </span>
            <strong>{labelOf(CASE_STEP_LABELS, lang, step.action)}</strong>
            {step.note && <span className="fp-work-step-note">{step.note}</span>}
            {step.photoIds.length > 0 && step !== detail.steps[0] && (
              <ul className="fp-thumbs fp-work-photos">
                {step.photoIds.map((photoId) => (
                  <li key={photoId}>
                    <img src={photoUrl(detail.id, photoId)} alt={w.workPhotos} loading="lazy" />
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
