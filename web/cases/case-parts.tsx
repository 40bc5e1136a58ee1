import type { Polygon } from 'geojson';
import type { ReactNode } from 'react';
import { CASE_STATE_LABELS } from '../../api/vocabulary/case-states.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import { URGENCY_LABELS } from '../../api/vocabulary/report-types.ts';
import { ROLE_LABELS } from '../../api/vocabulary/roles.ts';
import { formatDateTime } from '../i18n.ts';
import { lightCss } from '../map/case-markers.ts';
import { CaseActions } from './case-actions.tsx';
import { CaseDuplicates } from './case-duplicates.tsx';
import { CaseEvaluations } from './case-evaluations.tsx';
import { CaseImpact } from './case-impact.tsx';
import { LIGHT_NAMES, useCaseStrings } from './case-strings.ts';
import type { CaseDetail } from './cases-api.ts';
import { isFlashing } from './open-cases.ts';
import { useCaseDetail } from './use-case-detail.ts';

/** Where a case is, from township down to the cell. */
function placeLine(detail: CaseDetail): string {
  const { township, village, grid, cell } = detail.areas;
  return [township.name, village.name, grid.name, cell.name].filter(Boolean).join(' › ');
}

/** A case's light, state, urgency and whether anyone has taken it, as chips; `children` adds the page's own. */
export function CaseChips({ detail, children }: { detail: CaseDetail; children?: ReactNode }) {
  const { lang, c } = useCaseStrings();
  return (
    <div className="case-chips">
      <span className="light-chip" style={{ background: lightCss(detail.light) }}>
        {labelOf(LIGHT_NAMES, lang, detail.light)}
      </span>
      <span className="state-tag" data-state={detail.state} data-testid="case-state">
        {labelOf(CASE_STATE_LABELS, lang, detail.state)}
      </span>
      {detail.urgency === 'urgent' && <span className="urgent-tag">{URGENCY_LABELS.urgent[lang]}</span>}
      {isFlashing(detail) && <span className="untaken-tag">{c.untaken}</span>}
      {children}
    </div>
  );
}

/** The facts both views open with: where, when it was reported and by whom (`withRole`: the reporter's role too). */
export function CaseFactRows({ detail, withRole = false }: { detail: CaseDetail; withRole?: boolean }) {
  const { lang, c } = useCaseStrings();
  return (
    <>
      <div className="fact-wide">
        <dt>{c.place}</dt>
        <dd>{placeLine(detail)}</dd>
      </div>
      <div>
        <dt>{c.reportedAt}</dt>
        <dd>{formatDateTime(detail.reportedAt)}</dd>
      </div>
      <div>
        <dt>{c.reporter}</dt>
        <dd>
          {detail.reporterName}
          {withRole && <small> · {labelOf(ROLE_LABELS, lang, detail.reporterRole)}</small>}
        </dd>
      </div>
    </>
  );
}

interface CaseWorkProps {
  detail: CaseDetail;
  /** The control zone in force, for a map to draw. */
  onZone: (zone: Polygon) => void;
  /** Zone editing controls, where a map is there to edit on. */
  zoneControls?: ReactNode;
  /** Opens another case (a possible duplicate). */
  onOpenCase: (id: string) => void;
}

/**
 * What is done on a case, the same beside the command map and on the case page: its next actions,
 * the people in its control zone and their alerts, and its possible duplicates.
 */
export function CaseWork({ detail, onZone, zoneControls, onOpenCase }: CaseWorkProps) {
  const { reload, show } = useCaseDetail(detail.id);
  return (
    <>
      <CaseActions detail={detail} onChanged={(next) => (next ? show(next) : reload())} />
      <CaseEvaluations detail={detail} onChanged={reload} />
      <CaseImpact detail={detail} onZone={(impact) => onZone(impact.zone.geometry as Polygon)} zoneControls={zoneControls} />
      <CaseDuplicates detail={detail} onOpen={onOpenCase} />
    </>
  );
}
