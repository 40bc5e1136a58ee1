import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { CASE_STATE_LABELS, isFinishedState } from '../../api/vocabulary/case-states.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import { useSession } from '../auth/session.ts';
import { handleError, showNotice } from '../handle-error.ts';
import { fill, formatDateTime } from '../i18n.ts';
import { caseDuplicatesQuery, caseKeys } from './case-queries.ts';
import { useCaseStrings } from './case-strings.ts';
import type { CaseDetail, Duplicate } from './cases-api.ts';
import { mergeInto } from './cases-api.ts';

interface CaseDuplicatesProps {
  detail: CaseDetail;
  /** Opens another case (to compare before merging). */
  onOpen?: (id: string) => void;
}

/**
 * Reports of the same type close by in space and time that may be the same hazard seen twice;
 * a commander merges one into this case (it closes as merged and both timelines say so).
 * Nothing shows when there are none.
 */
export function CaseDuplicates({ detail, onOpen }: CaseDuplicatesProps) {
  const { lang, c } = useCaseStrings();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const finished = isFinishedState(detail.state);
  const { data } = useQuery({ ...caseDuplicatesQuery(detail.id), enabled: !finished });
  const duplicates = finished ? [] : (data?.duplicates ?? []);

  if (duplicates.length === 0) return null;

  const merge = async (duplicate: Duplicate) => {
    setBusy(true);
    try {
      await mergeInto(duplicate.id, detail.id);
      showNotice(c.mergedNotice, `${duplicate.caseNumber} → ${detail.caseNumber}`);
      setConfirming(null);
      void queryClient.invalidateQueries({ queryKey: caseKeys.case(detail.id) });
    } catch (error) {
      handleError(error, c.actionFailed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="case-duplicates" data-testid="case-duplicates" aria-label={c.duplicates}>
      <h3>{c.duplicates}</h3>
      <p className="muted small-note">{c.duplicatesNote}</p>
      <ul>
        {duplicates.map((duplicate) => (
          <li key={duplicate.id} className="duplicate" data-case-id={duplicate.id}>
            <div className="duplicate-main">
              <button type="button" className="link-button" onClick={() => onOpen?.(duplicate.id)} disabled={!onOpen}>
                {duplicate.caseNumber}
              </button>
              <span className="state-tag" data-state={duplicate.state}>
                {labelOf(CASE_STATE_LABELS, lang, duplicate.state)}
              </span>
              <small className="muted">
                {fill(c.distanceM, { n: Math.round(duplicate.distanceM) })} ·{' '}
                {fill(c.minutesApart, { n: Math.round(Math.abs(duplicate.secondsApart) / 60) })} ·{' '}
                {formatDateTime(duplicate.reportedAt).slice(5, 16)}
              </small>
              <span className="duplicate-description">{duplicate.description}</span>
            </div>
            {can('cases.command') &&
              (confirming === duplicate.id ? (
                <div className="confirm-row">
                  <span>{fill(c.mergeConfirm, { other: duplicate.caseNumber, case: detail.caseNumber })}</span>
                  <button type="button" className="button small" disabled={busy} onClick={() => setConfirming(null)}>
                    {c.cancelEdit}
                  </button>
                  <button type="button" className="button small primary" disabled={busy} onClick={() => merge(duplicate)}>
                    {c.merge}
                  </button>
                </div>
              ) : (
                <button type="button" className="button small" onClick={() => setConfirming(duplicate.id)}>
                  {c.merge}
                </button>
              ))}
          </li>
        ))}
      </ul>
    </section>
  );
}
