import type { InferResponseType } from 'hono/client';
import type { client } from '../api-client.ts';
import type { StoredPhoto } from './photos.ts';
import type { ReadyReport } from './report-draft.ts';
import type { SendRefused, SendRetry } from './send-failure.ts';

/** The server's answer to a report: its case number and the cell, grid, village and township it was assigned to. */

export type SentReport = InferResponseType<typeof client.api.reports.$post, 201>['report'];
/**
 * What became of one attempt to send an outbox item. `retry` leaves it waiting: the network, a
 * server error, a rate limit or a lost session may pass. `refused` is final: the server looked at
 * the report and said no (outside the county or the reporter's scope, a bad photo).
 */
export type SendOutcome = { kind: 'sent'; result: SentReport } | SendRefused | SendRetry;

/**
 * `waiting`: not sent yet (offline, not tried yet, or a failure that may pass: network, server
 * error, lost session); `sending`: on its way; `sent`: the server has it (its answer kept);
 * `refused`: the server said no for good (outside the county, outside the reporter's scope, a bad
 * photo), with its reason.
 */
type OutboxState = 'waiting' | 'sending' | 'sent' | 'refused';

export interface OutboxItem {
  /** Generated on the phone (crypto.randomUUID()); the server's idempotency key. */
  clientId: string;
  /** Username of the account that made it. */
  account: string;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  report: Omit<ReadyReport, 'photos'>;
  /** Emptied once sent: the server keeps them from then on. */
  photos: StoredPhoto[];
  photoCount: number;
  state: OutboxState;
  /** Failed attempts so far (for the back-off). */
  attempts: number;
  /** Epoch milliseconds of the next automatic attempt of a waiting item; 0 = as soon as possible. */
  nextAttemptAt: number;
  /** Why the last attempt failed (a waiting item) or the server's reason (a refused one), in the UI language of the time. */
  error: string | null;
  /** A waiting item that found the session gone: it goes once the account signs in again. */
  needsSignIn: boolean;
  sentAt: number | null;
  result: SentReport | null;
}
