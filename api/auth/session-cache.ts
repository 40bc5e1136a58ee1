import type { Principal } from '../app-env.ts';

/** How long a resolved session is trusted without asking the database again. */
export const SESSION_CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * Resolved sessions, kept a few seconds so that a map full of tile requests does not look up
 * the session for each. This process forgets an entry the moment it signs a session out or
 * changes its account; another process behind the same database trusts its copy for at most
 * SESSION_CACHE_MS.
 */
export class SessionCache {
  private readonly entries = new Map<string, { principal: Principal; until: number }>();

  get(tokenHash: string): Principal | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.until <= Date.now()) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry.principal;
  }

  set(principal: Principal): void {
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(principal.sessionId, { principal, until: Date.now() + SESSION_CACHE_MS });
  }

  forgetSession(tokenHash: string): void {
    this.entries.delete(tokenHash);
  }

  forgetAccount(accountId: string): void {
    for (const [tokenHash, entry] of this.entries) if (entry.principal.accountId === accountId) this.entries.delete(tokenHash);
  }
}
