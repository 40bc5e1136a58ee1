import { newClientId } from '../client-id.ts';
import { handleError } from '../handle-error.ts';
import { browserPlatform, FieldOutbox, madeAt, useFieldOutbox } from './field-outbox.ts';
import { sendVisit, type VisitInput, type VisitOutboxItem } from './visits-api.ts';

const NAME = 'grid-command-field-visits';

/**
 * The field page's outbox of visits (走访), on the generic field outbox: a visit logged without
 * network waits on the phone, and the server keys it by the phone's id, so it is logged once. Its
 * photo leaves the phone once sent.
 */
export const visitOutbox = new FieldOutbox<VisitOutboxItem>({
  name: NAME,
  store: 'visits',
  send: (item, signal) => sendVisit(item, signal),
  whenSent: (item) => ({ ...item, photo: null }),
  platform: browserPlatform(NAME),
  reportError: handleError,
});

/** Writes a new visit on the phone, then tries to send it. */
export function addVisit(account: string, personName: string, visit: Omit<VisitInput, 'clientId'>, photo: Blob | null) {
  const clientId = newClientId();
  return visitOutbox.add({
    clientId,
    account,
    createdAt: madeAt(),
    personName,
    visit: { ...visit, clientId },
    photo,
    state: 'waiting',
    attempts: 0,
    nextAttemptAt: 0,
    error: null,
    result: null,
  });
}

/** The visits on the phone, newest first; re-renders on every change (here or in another tab). */
export const useVisitOutbox = (): VisitOutboxItem[] => useFieldOutbox(visitOutbox);
