import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormDialog, inputError } from '../admin/form-dialog.tsx';
import { handleError, showNotice } from '../handle-error.ts';
import { fill, formatDateTime } from '../i18n.ts';
import { loadFailedTitle } from '../query-client.ts';
import { fetchMyGrants, openGrant, revokeGrant } from './special-api.ts';
import { useSpecialStrings } from './special-strings.ts';

/** Mirrors the server's rule (api/special-heatmap/access-service.ts); the server decides. */
const MIN_REASON_LENGTH = 10;
const HOUR_CHOICES = [1, 2, 4] as const;
const GRANTS_KEY = ['special', 'grants', 'mine'] as const;

/**
 * 紧急查看: a button that opens the break-the-glass dialog for the area on the map (a reason, a
 * duration of at most 4 hours), and the caller's live grants with a revoke each. A grant opens the
 * area's personal figures and points; every read on it is audited with its id.
 */
export function BreakGlassButton({ areaCode }: { areaCode: string }) {
  const { s } = useSpecialStrings();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [hours, setHours] = useState<number>(1);
  const [clientId, setClientId] = useState(() => crypto.randomUUID());
  const grants = useQuery({
    queryKey: GRANTS_KEY,
    queryFn: ({ signal }) => fetchMyGrants(signal),
    meta: { errorTitle: loadFailedTitle },
  }).data;

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['special'] });
  const submit = async () => {
    if ([...reason.trim()].length < MIN_REASON_LENGTH) throw inputError(s.reasonTooShort);
    await openGrant({ clientId, areaCode, reason: reason.trim(), hours });
    showNotice(s.granted);
    setReason('');
    setClientId(crypto.randomUUID());
    await refresh();
  };

  return (
    <>
      <button type="button" className="button danger-solid special-break" onClick={() => setOpen(true)} data-testid="break-glass">
        {s.breakGlass}
      </button>
      {grants && grants.length > 0 && (
        <ul className="special-grants" aria-label={s.liveGrants}>
          {grants.map((grant) => (
            <li key={grant.id}>
              {grant.areaCode} · {fill(s.until, { time: formatDateTime(grant.expiresAt) })}
              <button
                type="button"
                className="button"
                onClick={() => revokeGrant(grant.id).then(refresh, (error: unknown) => handleError(error))}
              >
                {s.revoke}
              </button>
            </li>
          ))}
        </ul>
      )}
      {open && (
        <FormDialog title={s.breakGlassTitle} submitLabel={s.confirm} danger onSubmit={submit} onClose={() => setOpen(false)}>
          <p className="special-note">{s.breakGlassNote}</p>
          <p>
            {s.area}：<strong>{areaCode}</strong>
          </p>
          <label className="field">
            {s.reason}
            <textarea
              value={reason}
              rows={3}
              maxLength={500}
              onChange={(event) => setReason(event.target.value)}
              data-testid="break-glass-reason"
            />
          </label>
          <label className="field">
            {s.hours}
            <select value={hours} onChange={(event) => setHours(Number(event.target.value))}>
              {HOUR_CHOICES.map((choice) => (
                <option key={choice} value={choice}>
                  {fill(s.hoursValue, { n: choice })}
                </option>
              ))}
            </select>
          </label>
        </FormDialog>
      )}
    </>
  );
}
