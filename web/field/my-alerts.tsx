import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { URGENCY_LABELS } from '../../api/vocabulary/report-types.ts';
import { handleError, showNotice } from '../handle-error.ts';
import { currentLanguage, fill, formatDateTime } from '../i18n.ts';
import type { MyAlert } from './field-api.ts';
import { acknowledgeAlert } from './field-api.ts';
import { fieldKeys, myAlertsQuery, useEachChange } from './field-queries.ts';
import { FIELD_STRINGS, useFieldStrings } from './field-strings.ts';
import { stateLabel } from './my-reports.tsx';
import { typeLabel } from './outbox-list.tsx';

/** Vibration of a new alert on a phone in a pocket: long, short, long (milliseconds). */
const ALERT_VIBRATION = [400, 150, 400, 150, 400];

export interface MyAlertsState {
  alerts: MyAlert[] | null;
  failed: boolean;
  /** Alerts that arrived while the page was open and are not acknowledged yet: shown loudest. */
  fresh: ReadonlySet<string>;
  acknowledging: ReadonlySet<string>;
  acknowledge: (id: string) => void;
  refresh: () => void;
}

/**
 * Alerts addressed to the signed-in account (its role, its area), unacknowledged first. A new one
 * (live `alert.sent`, fieldLiveInvalidations) reloads the list, vibrates the phone and is
 * announced; acknowledging sends the acknowledgment and reloads.
 */
export function useMyAlerts(enabled: boolean): MyAlertsState {
  const queryClient = useQueryClient();
  const { data, isError } = useQuery({ ...myAlertsQuery(), enabled });
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [acknowledging, setAcknowledging] = useState<ReadonlySet<string>>(new Set());
  const load = useCallback(() => void queryClient.invalidateQueries({ queryKey: fieldKeys.myAlerts() }), [queryClient]);

  useEachChange(data, (before, next) => {
    const known = new Set(before.map((alert) => alert.id));
    const arrived = next.filter((alert) => !known.has(alert.id) && !alert.acknowledged);
    if (arrived.length === 0) return;
    setFresh((marked) => new Set([...marked, ...arrived.map((alert) => alert.id)]));
    showNotice(FIELD_STRINGS[currentLanguage()].alertReceivedNotice);
    if ('vibrate' in navigator) navigator.vibrate(ALERT_VIBRATION);
  });

  const acknowledge = useCallback(
    (id: string) => {
      setAcknowledging((ids) => new Set([...ids, id]));
      acknowledgeAlert(id)
        .then(() => {
          setFresh((ids) => new Set([...ids].filter((kept) => kept !== id)));
          load();
        })
        .catch((error: unknown) => handleError(error, FIELD_STRINGS[currentLanguage()].acknowledgeFailed))
        .finally(() => setAcknowledging((ids) => new Set([...ids].filter((kept) => kept !== id))));
    },
    [load],
  );

  return { alerts: data ?? null, failed: isError, fresh, acknowledging, acknowledge, refresh: load };
}

/** Where an alert is: `涪阳镇 · 红江村1单元`. */
export function alertPlace(alert: MyAlert): string {
  if (!alert.case) return alert.areaCode;
  return [alert.case.townshipName, alert.case.cellName ?? alert.case.cellCode].filter(Boolean).join(' · ');
}

/** Each alert addressed to this account, what it is about, and the button that acknowledges it. */
export function MyAlerts({ state }: { state: MyAlertsState }) {
  const { f, t, lang } = useFieldStrings();
  const { alerts, failed, fresh, acknowledging, acknowledge, refresh } = state;

  return (
    <section className="fp-list" data-testid="my-alerts">
      <div className="fp-list-tools">
        <button type="button" className="button" onClick={refresh}>
          {f.refresh}
        </button>
      </div>
      {alerts === null && !failed && <p className="fp-empty">{t.loading}</p>}
      {failed && alerts === null && <p className="fp-empty">{f.loadFailed}</p>}
      {alerts?.length === 0 && <p className="fp-empty">{f.alertsEmpty}</p>}
      <ul>
        {alerts?.map((alert) => (
          <li
            key={alert.id}
            className="fp-card fp-alert"
            data-acknowledged={alert.acknowledged}
            data-fresh={fresh.has(alert.id)}
            data-testid="my-alert"
          >
            <div className="fp-card-head">
              <strong>
                {fill(f.alertBanner, { type: alert.case ? typeLabel(alert.case.type, lang) : '', place: alertPlace(alert) })}
              </strong>
              {alert.case?.urgency === 'urgent' && <span className="fp-urgent-tag">{URGENCY_LABELS.urgent[lang]}</span>}
            </div>
            {alert.case && (
              <>
                <p className="fp-card-text">{alert.case.description}</p>
                <p className="fp-card-meta">
                  <span className="fp-case-number">{alert.case.caseNumber}</span> · {stateLabel(alert.case.state, lang)}
                </p>
              </>
            )}
            <p className="fp-card-meta">{fill(f.alertSentAt, { time: formatDateTime(alert.alertedAt) })}</p>
            {alert.acknowledged ? (
              <p className="fp-acknowledged">
                ✓ {fill(f.alertAcknowledged, { time: alert.acknowledgedAt ? formatDateTime(alert.acknowledgedAt) : '' })}
              </p>
            ) : (
              <button
                type="button"
                className="button fp-acknowledge"
                disabled={acknowledging.has(alert.id)}
                onClick={() => acknowledge(alert.id)}
                data-testid="acknowledge-alert"
              >
                {f.alertAcknowledge}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
