import type { InferResponseType } from 'hono/client';
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { useSyncExternalStore } from 'react';
import { client, errorOf, fetchMe, isSessionError, newClientId } from '../api-client.ts';
import { handleError } from '../handle-error.ts';
import { currentLanguage } from '../i18n.ts';

type SurveyInput = Parameters<typeof client.api.workforce.surveys.$post>[0]['json'];
type SentSurvey = InferResponseType<typeof client.api.workforce.surveys.$post, 201>['survey'];

/** A survey waiting on the phone, keyed by the id the phone made for it. */
export interface SurveyOutboxItem {
  clientId: string;
  account: string;
  createdAt: number;
  address: string;
  survey: SurveyInput;
  state: 'waiting' | 'sending' | 'sent' | 'refused';
  attempts: number;
  nextAttemptAt: number;
  error: string | null;
  result: SentSurvey | null;
}

interface SurveyDb extends DBSchema {
  surveys: { key: string; value: SurveyOutboxItem; indexes: { 'by-created': number } };
}

const SENT_KEPT_MS = 7 * 24 * 3600_000;
const BACKOFF_MS = [5_000, 15_000, 30_000, 60_000, 120_000, 300_000] as const;
const LOCK_NAME = 'grid-command-field-surveys';
const NETWORK_MESSAGE = { zh: '网络不通，稍后自动重试', en: 'No connection; retried automatically' } as const;

let opened: Promise<IDBPDatabase<SurveyDb>> | null = null;
const surveyDatabase = () => {
  opened ??= openDB<SurveyDb>(LOCK_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('surveys', { keyPath: 'clientId' }).createIndex('by-created', 'createdAt');
    },
  });
  return opened;
};

type Outcome = { kind: 'sent'; result: SentSurvey } | { kind: 'refused'; message: string } | { kind: 'retry'; message: string };

/** Sends one survey (the server keys it by its client id, so a retry records it once); never throws for an expected failure. */
async function sendSurvey(item: SurveyOutboxItem): Promise<Outcome> {
  try {
    const response = await client.api.workforce.surveys.$post(
      { json: item.survey },
      { init: { signal: AbortSignal.timeout(60_000) } },
    );
    if (response.status === 200 || response.status === 201) {
      return { kind: 'sent', result: ((await response.json()) as { survey: SentSurvey }).survey };
    }
    const error = await errorOf(response);
    const passing = error.status === 401 || error.status === 429 || error.status >= 500 || error.code.startsWith('csrf');
    if (!passing) return { kind: 'refused', message: error.message };
    if (error.code.startsWith('csrf') || isSessionError(error)) await fetchMe().catch(() => {});
    return { kind: 'retry', message: error.message };
  } catch {
    return { kind: 'retry', message: NETWORK_MESSAGE[currentLanguage()] };
  }
}

/**
 * The field page's outbox of satisfaction surveys (满意度调查), as the visit outbox is for visits:
 * each survey is written on the phone first and sent when the network allows, oldest first, one tab
 * at a time; a survey taken offline waits here through a reload.
 */
class SurveyOutbox {
  private items: SurveyOutboxItem[] = [];
  private readonly listeners = new Set<() => void>();
  private account: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  current = () => this.items;

  /** Sends the waiting surveys of `account` while the page is open; returns the stop. */
  start(account: string): () => void {
    this.account = account;
    window.addEventListener('online', this.kick);
    this.update((item) => (item.state === 'sending' ? { ...item, state: 'waiting', nextAttemptAt: 0 } : null))
      .then(() => this.kick())
      .catch(handleError);
    return () => {
      if (this.account !== account) return;
      this.account = null;
      clearTimeout(this.timer);
      window.removeEventListener('online', this.kick);
    };
  }

  async add(account: string, address: string, survey: Omit<SurveyInput, 'clientId'>) {
    const clientId = newClientId();
    const item: SurveyOutboxItem = {
      clientId,
      account,
      createdAt: Date.now(),
      address,
      survey: { ...survey, clientId },
      state: 'waiting',
      attempts: 0,
      nextAttemptAt: 0,
      error: null,
      result: null,
    };
    await this.write(item);
    this.kick();
    return item;
  }

  retryNow = () => {
    this.update((item) => (item.state === 'waiting' ? { ...item, nextAttemptAt: 0 } : null))
      .then(() => this.kick())
      .catch(handleError);
  };

  private kick = () => {
    clearTimeout(this.timer);
    if (this.running) return;
    this.running = true;
    this.pass()
      .catch(handleError)
      .finally(() => {
        this.running = false;
        const waiting = this.items.filter((item) => item.account === this.account && item.state === 'waiting');
        if (!this.account || waiting.length === 0) return;
        const next = Math.min(...waiting.map((item) => item.nextAttemptAt));
        this.timer = setTimeout(this.kick, Math.min(30_000, Math.max(1000, next - Date.now())));
      });
  };

  private async pass(): Promise<void> {
    const work = async () => {
      await this.reload();
      for (;;) {
        const account = this.account;
        if (!account || !navigator.onLine) return;
        const due = this.items
          .filter((item) => item.account === account && item.state === 'waiting' && item.nextAttemptAt <= Date.now())
          .sort((a, b) => a.createdAt - b.createdAt)[0];
        if (!due) return;
        await this.write({ ...due, state: 'sending' });
        const outcome = await sendSurvey(due);
        if (outcome.kind === 'sent') await this.write({ ...due, state: 'sent', error: null, result: outcome.result });
        else if (outcome.kind === 'refused') await this.write({ ...due, state: 'refused', error: outcome.message });
        else {
          const attempts = due.attempts + 1;
          const base = BACKOFF_MS[Math.min(attempts, BACKOFF_MS.length) - 1] ?? BACKOFF_MS[0];
          await this.write({ ...due, state: 'waiting', attempts, nextAttemptAt: Date.now() + base, error: outcome.message });
          return;
        }
      }
    };
    if (!('locks' in navigator)) return work();
    await navigator.locks.request(LOCK_NAME, { ifAvailable: true }, async (lock) => {
      if (lock) await work();
    });
  }

  private async update(change: (item: SurveyOutboxItem) => SurveyOutboxItem | null): Promise<void> {
    const db = await surveyDatabase();
    const cutoff = Date.now() - SENT_KEPT_MS;
    for (const item of await db.getAll('surveys')) {
      if (item.state === 'sent' && item.createdAt < cutoff) {
        await db.delete('surveys', item.clientId);
        continue;
      }
      const next = change(item);
      if (next) await db.put('surveys', next);
    }
    await this.reload();
  }

  private async write(item: SurveyOutboxItem): Promise<void> {
    await (await surveyDatabase()).put('surveys', item);
    await this.reload();
  }

  private async reload(): Promise<void> {
    this.items = (await (await surveyDatabase()).getAllFromIndex('surveys', 'by-created')).reverse();
    for (const listener of this.listeners) listener();
  }
}

export const surveyOutbox = new SurveyOutbox();

/** The surveys on the phone, newest first; re-renders on every change. */
export function useSurveyOutbox(): SurveyOutboxItem[] {
  return useSyncExternalStore(surveyOutbox.subscribe, surveyOutbox.current);
}
