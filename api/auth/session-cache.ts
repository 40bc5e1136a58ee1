import type { Principal } from '../app-env.ts';
import type { Database } from '../db/client.ts';

/** How long a resolved session is trusted without asking the database again. */
const SESSION_CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * The NOTIFY channel on which a transaction that ends sessions tells every API process, at
 * commit (api/auth/repository.ts). Payload: `{"tokenHash": …}` or `{"accountId": …}`.
 */
export const SESSIONS_CHANNEL = 'gcc_sessions';

/** Which cached sessions were dropped: one, all of an account's, or every one. */
export type Forgotten = { tokenHash: string } | { accountId: string } | { all: true };

/**
 * Resolved sessions, kept a few seconds so that a map full of tile requests does not look up
 * the session for each. An entry is forgotten the moment any process ends its session or
 * changes its account: this process directly, the others through SESSIONS_CHANNEL (see
 * followRevocations); SESSION_CACHE_MS only bounds how stale an entry gets if a notification is
 * lost. Whoever holds a session open (a live event stream) hears of every forget.
 */
export class SessionCache {
  private readonly entries = new Map<string, { principal: Principal; until: number }>();
  private readonly listeners = new Set<(forgotten: Forgotten) => void>();
  private forgets = 0;

  /**
   * A counter that moves on every forget. Take it before reading a session from the database
   * and pass it to set(): a forget in between (the session was just revoked) keeps the read out.
   */
  get generation(): number {
    return this.forgets;
  }

  get(tokenHash: string): Principal | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.until <= Date.now()) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry.principal;
  }

  set(principal: Principal, readAtGeneration = this.forgets): void {
    if (readAtGeneration !== this.forgets) return;
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(principal.sessionId, { principal, until: Date.now() + SESSION_CACHE_MS });
  }

  forgetSession(tokenHash: string): void {
    this.entries.delete(tokenHash);
    this.forgotten({ tokenHash });
  }

  forgetAccount(accountId: string): void {
    for (const [tokenHash, entry] of this.entries) if (entry.principal.accountId === accountId) this.entries.delete(tokenHash);
    this.forgotten({ accountId });
  }

  forgetAll(): void {
    this.entries.clear();
    this.forgotten({ all: true });
  }

  /** Calls `listener` after every forget; returns its remover. */
  onForget(listener: (forgotten: Forgotten) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Forgets what other processes revoke, as soon as their transaction commits. If the listening
   * connection was lost for a while, everything is forgotten, since a revocation may have been missed.
   */
  followRevocations(db: Pick<Database, 'listen'>): Promise<() => Promise<void>> {
    return db.listen(
      SESSIONS_CHANNEL,
      (payload) => {
        const notice = parseNotice(payload);
        if (!notice) return this.forgetAll();
        if ('tokenHash' in notice) this.forgetSession(notice.tokenHash);
        else this.forgetAccount(notice.accountId);
      },
      () => this.forgetAll(),
    );
  }

  private forgotten(forgotten: Forgotten): void {
    this.forgets++;
    for (const listener of this.listeners) listener(forgotten);
  }
}

function parseNotice(payload: string): { tokenHash: string } | { accountId: string } | null {
  try {
    const notice = JSON.parse(payload) as { tokenHash?: unknown; accountId?: unknown };
    if (typeof notice.tokenHash === 'string') return { tokenHash: notice.tokenHash };
    if (typeof notice.accountId === 'string') return { accountId: notice.accountId };
  } catch {
    // An unreadable notice still means some session ended somewhere: forget everything.
  }
  return null;
}
