import './nearby.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { labelOf } from '../../api/vocabulary/label.ts';
import { freshnessOf } from '../../api/vocabulary/patrols.ts';
import { ROLE_LABELS } from '../../api/vocabulary/roles.ts';
import { handleError } from '../handle-error.ts';
import { fill, formatDateTime, formatNumber, type Language } from '../i18n.ts';
import { patrolFreshnessCss } from '../map/patrol-colors.ts';
import { useNearbyStrings } from './nearby-strings.ts';
import { alertNearbyPatrols } from './patrol-api.ts';
import { nearbyKeyOf, nearbyPatrolsQuery } from './patrol-queries.ts';

interface NearbyPatrolsProps {
  caseId: string;
  /** Whether the reader may alert (cases.command); the list itself needs patrols.view, checked by the caller. */
  mayAlert: boolean;
  /** A finished case alerts nobody. */
  finished: boolean;
}

/** The ages and colours move with the clock: the rows are drawn again this often (ms). Nothing is read on it. */
const AGEING_MS = 15_000;

function distanceText(lang: Language, strings: { metres: string; kilometres: string }, metres: number): string {
  if (metres < 1000) return fill(strings.metres, { n: formatNumber(lang, Math.round(metres)) });
  return fill(strings.kilometres, { n: formatNumber(lang, metres / 1000, 1) });
}

function ageText(strings: { secondsAgo: string; minutesAgo: string }, ageS: number): string {
  return ageS < 60 ? fill(strings.secondsAgo, { n: ageS }) : fill(strings.minutesAgo, { n: Math.floor(ageS / 60) });
}

/**
 * The workers on patrol nearest the selected case, nearest first, each with role, distance and
 * the age of the fix (coloured as on the map), and one button that alerts those not alerted yet.
 * Read again when a worker moves near it (live, patrol.moved), never on a timer: each reading is
 * audited on the server.
 */
export function NearbyPatrols({ caseId, mayAlert, finished }: NearbyPatrolsProps) {
  const { lang, n } = useNearbyStrings();
  const queryClient = useQueryClient();
  const { data } = useQuery(nearbyPatrolsQuery(caseId, true));
  const [, setTick] = useState(0);
  const [clientId, setClientId] = useState(() => crypto.randomUUID());
  const [outcome, setOutcome] = useState<string | null>(null);

  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), AGEING_MS);
    return () => clearInterval(timer);
  }, []);

  const patrols = data?.patrols ?? [];
  const notAlerted = patrols.filter((patrol) => !patrol.alert);

  const alert = useMutation({
    mutationFn: () =>
      alertNearbyPatrols(
        caseId,
        notAlerted.map((patrol) => patrol.patrolId),
        clientId,
      ),
    onSuccess: (result) => {
      const lines = [result.created > 0 ? fill(n.sent, { n: result.created }) : n.sentNone];
      if (result.skipped.length > 0) lines.push(fill(n.skipped, { n: result.skipped.length }));
      setOutcome(lines.join('；'));
      // A new tap is a new command; a retry of this one (lost answer) kept the same id.
      setClientId(crypto.randomUUID());
      void queryClient.invalidateQueries({ queryKey: nearbyKeyOf(caseId) });
    },
    onError: (error) => handleError(error, n.failed),
  });

  const readAt = Date.now();
  return (
    <section className="nearby-patrols" data-testid="nearby-patrols" aria-label={n.title}>
      <div className="section-head">
        <h3>{n.title}</h3>
        {mayAlert && !finished && patrols.length > 0 && (
          <button
            type="button"
            className="button small primary"
            disabled={alert.isPending || notAlerted.length === 0}
            onClick={() => alert.mutate()}
            data-testid="alert-nearby"
          >
            {notAlerted.length === 0
              ? n.everyoneAlerted
              : notAlerted.length === patrols.length
                ? fill(n.alertAll, { n: notAlerted.length })
                : fill(n.alertRest, { n: notAlerted.length })}
          </button>
        )}
      </div>
      <p className="muted small-note">{n.note}</p>
      {outcome && (
        <p className="nearby-outcome" role="status" data-testid="nearby-outcome">
          {outcome}
        </p>
      )}
      {!data ? (
        <p className="muted">…</p>
      ) : patrols.length === 0 ? (
        <p className="muted">{n.none}</p>
      ) : (
        <ul className="impact-people nearby-list">
          {patrols.map((patrol) => {
            const ageS = Math.max(0, Math.round((readAt - Date.parse(patrol.fixedAt)) / 1000));
            const state = !patrol.alert ? 'not_alerted' : patrol.alert.acknowledgedAt ? 'acknowledged' : 'alerted';
            return (
              <li key={patrol.patrolId} data-alert-state={state} data-patrol-id={patrol.patrolId}>
                <span className="impact-person">
                  <strong>{patrol.workerName}</strong>
                  <small className="muted impact-where">
                    {labelOf(ROLE_LABELS, lang, patrol.workerRole)} · {patrol.areaName ?? patrol.areaCode}
                  </small>
                </span>
                <span className="nearby-facts">
                  <strong className="nearby-distance">{distanceText(lang, n, patrol.distanceM)}</strong>
                  <small className="nearby-age" data-freshness={freshnessOf(ageS)}>
                    <i style={{ background: patrolFreshnessCss(freshnessOf(ageS)) }} aria-hidden="true" />
                    {ageText(n, ageS)}
                  </small>
                  {patrol.alert && (
                    <small className="alert-state" data-state={state}>
                      {patrol.alert.acknowledgedAt
                        ? `${n.acknowledged} ${formatDateTime(patrol.alert.acknowledgedAt).slice(11, 16)}`
                        : n.alerted}
                    </small>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
