import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useEffect, useRef, useState } from 'react';
import { isFinishedState } from '../../api/vocabulary/case-states.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import { ROLE_LABELS } from '../../api/vocabulary/roles.ts';
import { useSession } from '../auth/session.ts';
import { handleError, showNotice } from '../handle-error.ts';
import { fill, formatDateTime, formatNumber } from '../i18n.ts';
import { caseImpactQuery, caseKeys } from './case-queries.ts';
import { useCaseStrings } from './case-strings.ts';
import type { CaseDetail, Impact, ImpactPerson } from './cases-api.ts';
import { alertEveryone } from './cases-api.ts';

interface CaseImpactProps {
  detail: CaseDetail;
  /** Tells the map the zone in force (the default circle until someone draws one). */
  onZone?: (impact: Impact) => void;
  /** Zone editing controls, where a map is there to edit on. */
  zoneControls?: ReactNode;
}

const ALERT_ORDER: Record<ImpactPerson['alertState'], number> = { alerted: 0, not_alerted: 1, acknowledged: 2 };

/**
 * What the case's control zone holds: cells, grids, households and residents, and the grid
 * workers and informants to alert there, each with whether they have acknowledged (kept live).
 * "Alert everyone" sends the alert to all not yet alerted.
 */
export function CaseImpact({ detail, onZone, zoneControls }: CaseImpactProps) {
  const { lang, c } = useCaseStrings();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const { data: impact } = useQuery(caseImpactQuery(detail.id));
  const [busy, setBusy] = useState(false);
  const zoneHeard = useRef(onZone);
  zoneHeard.current = onZone;

  useEffect(() => {
    if (impact) zoneHeard.current?.(impact);
  }, [impact]);

  const finished = isFinishedState(detail.state);
  const commander = can('cases.command');

  const alertAll = async () => {
    setBusy(true);
    try {
      const created = await alertEveryone(detail.id);
      showNotice(fill(c.alertsSent, { n: created }), detail.caseNumber);
      void queryClient.invalidateQueries({ queryKey: caseKeys.impact(detail.id) });
    } catch (error) {
      handleError(error, c.actionFailed);
    } finally {
      setBusy(false);
    }
  };

  if (!impact) {
    return (
      <section className="case-impact" aria-label={c.impact}>
        <h3>{c.impact}</h3>
        <p className="muted">…</p>
      </section>
    );
  }

  const people = [...impact.people].sort((a, b) => ALERT_ORDER[a.alertState] - ALERT_ORDER[b.alertState]);
  const notAlerted = impact.people.filter((person) => person.inZone && person.alertState === 'not_alerted').length;

  return (
    <section className="case-impact" data-testid="case-impact" aria-label={c.impact}>
      <div className="section-head">
        <h3>{c.controlZone}</h3>
        {zoneControls}
      </div>
      <dl className="impact-figures">
        <div>
          <dt>{c.cells}</dt>
          <dd>{formatNumber(lang, impact.cells.length)}</dd>
        </div>
        <div>
          <dt>{c.grids}</dt>
          <dd>{formatNumber(lang, impact.grids.length)}</dd>
        </div>
        <div>
          <dt>{c.households}</dt>
          <dd>{formatNumber(lang, impact.households)}</dd>
        </div>
        <div>
          <dt>{c.residents}</dt>
          <dd>{formatNumber(lang, impact.residents)}</dd>
        </div>
      </dl>
      {impact.zone.extendsBeyondScope && <p className="muted small-note">{c.zoneBeyondScope}</p>}
      <div className="section-head">
        <h4>
          {c.peopleToAlert}
          {impact.alerts.sent > 0 && (
            <span className="ack-count" data-testid="ack-count">
              {fill(c.ackCount, { done: impact.alerts.acknowledged, all: impact.alerts.sent })}
            </span>
          )}
        </h4>
        {commander && !finished && impact.people.length > 0 && (
          <button
            type="button"
            className="button small primary"
            disabled={busy || notAlerted === 0}
            onClick={alertAll}
            data-testid="alert-all"
          >
            {impact.alerts.sent > 0 ? c.alertRest : c.alertAll}
          </button>
        )}
      </div>
      {people.length === 0 ? (
        <p className="muted">{c.noPeopleInZone}</p>
      ) : (
        <ul className="impact-people">
          {people.map((person) => (
            <li key={person.id} data-alert-state={person.alertState}>
              <span className="impact-person">
                <strong>{person.name ?? labelOf(ROLE_LABELS, lang, person.role)}</strong>
                <small className="muted impact-where">
                  {labelOf(ROLE_LABELS, lang, person.role)} · {person.areaName ?? person.areaCode}
                </small>
              </span>
              <span className="alert-state" data-state={person.alertState}>
                {person.alertState === 'acknowledged'
                  ? `${c.acknowledged} ${person.alert?.acknowledgedAt ? formatDateTime(person.alert.acknowledgedAt).slice(11, 16) : ''}`
                  : person.alertState === 'alerted'
                    ? c.notAcknowledged
                    : c.notAlerted}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
