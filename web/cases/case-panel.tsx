import './cases.css';
import type { Polygon, Position } from 'geojson';
import { useEffect, useState } from 'react';
import { AREA_LEVEL_LABELS } from '../../api/vocabulary/area-levels.ts';
import { isFinishedState } from '../../api/vocabulary/case-states.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import { REPORT_TYPES } from '../../api/vocabulary/report-types.ts';
import { AppLink } from '../app-link.tsx';
import { useSession } from '../auth/session.ts';
import { handleError, showNotice } from '../handle-error.ts';
import { fill, formatDateTime } from '../i18n.ts';
import type { CommandMap } from '../map/command-map.ts';
import { NearbyPatrols } from '../patrols/nearby-patrols.tsx';
import { casePath } from '../routes.ts';
import { CaseChips, CaseFactRows, CaseWork } from './case-parts.tsx';
import { limitText, STAGE_NAMES, useCaseStrings } from './case-strings.ts';
import { CaseTimeline } from './case-timeline.tsx';
import { saveControlZone } from './cases-api.ts';
import { useCaseDetail } from './use-case-detail.ts';

interface CasePanelProps {
  caseId: string;
  commandMap: CommandMap | null;
  /** The vertices of the zone being edited on the map, as the map reports them. */
  zoneVertices: Position[];
  /** The zone in force, for the map to draw. */
  onZone: (zone: Polygon | null) => void;
  onClose: () => void;
  onOpenCase: (id: string) => void;
}

/** Pixels of the map the panels cover (this panel, the live list), to keep a framed zone clear of them. */
function framePadding(): { top: number; right: number; bottom: number; left: number } {
  const panel = document.querySelector('.case-panel')?.getBoundingClientRect();
  const left = document.querySelector('.command-left')?.getBoundingClientRect();
  if (window.innerWidth <= 720) return { top: 120, right: 40, bottom: (panel?.height ?? 0) + 40, left: 40 };
  return { top: 120, right: (panel?.width ?? 0) + 80, bottom: 80, left: (left?.width ?? 0) + 80 };
}

/**
 * The selected case beside the command map: what and where, its clock, the next actions, its
 * control zone (drawn on the map, editable there) with the people to alert, and possible
 * duplicates; for those who may view patrols, the workers on patrol nearest it. Everything follows
 * the live feed.
 */
export function CasePanel({ caseId, commandMap, zoneVertices, onZone, onClose, onOpenCase }: CasePanelProps) {
  const { lang, c } = useCaseStrings();
  const { can } = useSession();
  const { detail, failed, reload } = useCaseDetail(caseId);
  const [editing, setEditing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [collapsed, setCollapsed] = useState(false);

  useEffect(() => {
    if (failed) onClose();
  }, [failed, onClose]);

  // Leaving the panel (another case, closed) leaves the edit too.
  useEffect(
    () => () => {
      if (commandMap && commandMap.controlZone.editMode() !== 'view') commandMap.controlZone.cancelEdit();
    },
    [commandMap],
  );

  const startEdit = () => {
    commandMap?.controlZone.startEdit(framePadding());
    setEditing(true);
  };
  const cancelEdit = () => {
    commandMap?.controlZone.cancelEdit();
    setEditing(false);
  };
  const saveZone = async () => {
    const zone = commandMap?.controlZone.editedZone();
    if (!zone || !detail) {
      handleError(new Error(c.zoneTooFew), c.actionFailed);
      return;
    }
    setSaving(true);
    try {
      await saveControlZone(detail.id, zone);
      showNotice(c.zoneSaved, detail.caseNumber);
      commandMap?.controlZone.show(zone);
      onZone(zone);
      setEditing(false);
      reload();
    } catch (error) {
      handleError(error, c.actionFailed);
    } finally {
      setSaving(false);
    }
  };

  const finished = detail ? isFinishedState(detail.state) : false;
  const zoneControls =
    can('cases.command') && !finished && commandMap ? (
      editing ? (
        <div className="zone-edit-controls" data-testid="zone-editing">
          <button type="button" className="button small" onClick={() => commandMap.controlZone.startDraw()}>
            {c.clearZone}
          </button>
          <button type="button" className="button small" disabled={saving} onClick={cancelEdit}>
            {c.cancelEdit}
          </button>
          <button
            type="button"
            className="button small primary"
            disabled={saving || zoneVertices.length < 3}
            onClick={saveZone}
            data-testid="save-zone"
          >
            {c.saveZone}
          </button>
        </div>
      ) : (
        <button type="button" className="button small" onClick={startEdit} data-testid="edit-zone">
          {c.editZone}
        </button>
      )
    ) : null;

  return (
    <aside
      className="case-panel"
      data-testid="case-panel"
      data-case-id={caseId}
      data-state={detail ? detail.state : 'loading'}
      data-collapsed={collapsed}
      aria-label={detail?.caseNumber ?? c.caseDetail}
    >
      <button
        type="button"
        className="sheet-handle"
        aria-label={collapsed ? '▲' : '▼'}
        aria-expanded={!collapsed}
        onClick={() => setCollapsed((value) => !value)}
      >
        <span aria-hidden="true" />
      </button>
      <header className="panel-header">
        <div className="panel-title">
          {detail ? (
            <>
              <CaseChips detail={detail} />
              <h2>{labelOf(REPORT_TYPES, lang, detail.type)}</h2>
              <span className="case-number">{detail.caseNumber}</span>
            </>
          ) : (
            <h2>{c.caseDetail}</h2>
          )}
        </div>
        <button type="button" className="icon-button close-button" aria-label={c.close} onClick={onClose}>
          ×
        </button>
      </header>
      {detail && (
        <div className="panel-body">
          {editing && <p className="zone-help">{c.zoneEditHelp}</p>}
          <p className="case-description">{detail.description}</p>
          <dl className="case-facts">
            <CaseFactRows detail={detail} />
            <div>
              <dt>{c.dueAt}</dt>
              <dd>
                {detail.dueAt ? formatDateTime(detail.dueAt) : c.unknown}
                {detail.clockStage && detail.limitAmount !== null && (
                  <small className="case-limit" data-testid="case-limit" data-clock={detail.limitClock ?? undefined}>
                    {labelOf(STAGE_NAMES, lang, detail.clockStage)}{' '}
                    {limitText(lang, detail.limitAmount, detail.limitUnit, detail.limitClock)}
                  </small>
                )}
              </dd>
            </div>
            <div>
              <dt>{c.responsibleLevel}</dt>
              <dd>
                {labelOf(AREA_LEVEL_LABELS, lang, detail.responsibleLevel)}
                {detail.escalationCount > 0 && <small> · {fill(c.escalatedTimes, { n: detail.escalationCount })}</small>}
              </dd>
            </div>
          </dl>
          <AppLink href={casePath(detail.id)} className="button small detail-link">
            {c.openDetail}
          </AppLink>
          <CaseWork detail={detail} onZone={onZone} zoneControls={zoneControls} onOpenCase={onOpenCase} />
          {can('patrols.view') && (
            <NearbyPatrols key={detail.id} caseId={detail.id} mayAlert={can('cases.command')} finished={finished} />
          )}
          <details className="timeline-details">
            <summary>
              {c.timeline} ({detail.steps.length})
            </summary>
            <CaseTimeline detail={detail} />
          </details>
        </div>
      )}
    </aside>
  );
}
