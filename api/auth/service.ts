import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '../app-env.ts';
import type { Database } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { verifyAgainstNothing, verifyPassword } from './passwords.ts';
import { type AuditEntry, authRepository } from './repository.ts';
import { SessionCache } from './session-cache.ts';

/** A session ends after this long without a request… */
const SESSION_IDLE_HOURS = 12;
/** …and after this long in any case. */
const SESSION_MAX_DAYS = 7;
/** Failed sign-ins counted over this window. */
const LOGIN_WINDOW_MINUTES = 15;
/** An account is locked (for the rest of the window) after this many failures in a row. */
export const MAX_FAILURES_PER_ACCOUNT = 5;
/**
 * Past this many failures from one address in the window, whatever the accounts, each attempt
 * from it is slowed down (ADDRESS_DELAY_STEP_MS more per failure, at most MAX_ADDRESS_DELAY_MS).
 * Slowed, not refused: a township office shares one address, and refusing it would let one
 * person's typos, or an attacker behind the same router, lock out every colleague with a
 * correct password. Guessing stays bounded by the per-account lock and by this delay.
 */
export const MAX_FAILURES_PER_ADDRESS = 20;
export const ADDRESS_DELAY_STEP_MS = 250;
export const MAX_ADDRESS_DELAY_MS = 5_000;

/** How long an attempt from an address with `failures` recent failures waits before it is checked. */
export function addressDelayMs(failures: number): number {
  if (failures < MAX_FAILURES_PER_ADDRESS) return 0;
  return Math.min(MAX_ADDRESS_DELAY_MS, (failures - MAX_FAILURES_PER_ADDRESS + 1) * ADDRESS_DELAY_STEP_MS);
}

export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const tooManyForAccount = () =>
  new AppError(429, 'login_locked', {
    zh: `该账号连续登录失败次数过多，已临时锁定，请 ${LOGIN_WINDOW_MINUTES} 分钟后再试或联系管理员`,
    en: `Too many failed sign-ins for this account; it is locked for ${LOGIN_WINDOW_MINUTES} minutes, or ask an administrator`,
  });
const wrongCredentials = () =>
  new AppError(401, 'invalid_credentials', { zh: '用户名或密码不正确', en: 'Wrong username or password' });

export const notSignedIn = () => new AppError(401, 'not_signed_in', { zh: '请先登录', en: 'Please sign in' });
const sessionExpired = () =>
  new AppError(401, 'session_expired', { zh: '登录已过期，请重新登录', en: 'Your session has ended; please sign in again' });

/**
 * Sign-in, sign-out and session checks. Everything it writes lands with its audit entry in one
 * transaction. Entries about a name that matches no account are filed under the county, so the
 * county's administrators see them.
 */
export function authService(db: Database, countyCode: string, sessions = new SessionCache()) {
  const audit = (entry: AuditEntry) => authRepository(db).insertAudit(entry);

  return {
    async login(usernameTyped: string, password: string, origin: RequestOrigin) {
      const username = usernameTyped.trim().toLowerCase();
      const repository = authRepository(db);
      const failures = await repository.recentFailures(username, origin.ip, LOGIN_WINDOW_MINUTES);
      const base = {
        actorId: null,
        actorUsername: username,
        actorRole: null,
        targetType: 'account',
        targetId: username,
        ...origin,
      };
      const slowedMs = addressDelayMs(failures.forAddress);
      if (slowedMs > 0) await new Promise((resume) => setTimeout(resume, slowedMs));
      if (failures.forAccount >= MAX_FAILURES_PER_ACCOUNT) {
        await audit({
          ...base,
          action: 'auth.login_failed',
          outcome: 'denied',
          scopeCode: countyCode,
          details: { reason: 'account_locked' },
        });
        throw tooManyForAccount();
      }
      const account = await repository.findAccountByUsername(username);
      if (!account) await verifyAgainstNothing(password);
      const valid = account ? await verifyPassword(account.passwordHash, password) : false;
      if (!account || !valid || account.disabledAt) {
        const reason = !account ? 'unknown_account' : !valid ? 'wrong_password' : 'account_disabled';
        await audit({
          ...base,
          action: 'auth.login_failed',
          outcome: 'failed',
          scopeCode: account?.scopeCode ?? countyCode,
          details: slowedMs > 0 ? { reason, slowedMs } : { reason },
        });
        if (account?.disabledAt && valid) {
          throw new AppError(403, 'account_disabled', {
            zh: '该账号已停用，请联系管理员',
            en: 'This account is disabled; ask an administrator',
          });
        }
        throw wrongCredentials();
      }
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const expiresAt = new Date(Date.now() + SESSION_MAX_DAYS * 86_400_000);
      await db.transaction(async (tx) => {
        const inTx = authRepository(tx);
        await inTx.insertSession({ tokenHash: hashToken(token), accountId: account.id, csrfToken, expiresAt, ...origin });
        await inTx.insertAudit({
          ...base,
          actorId: account.id,
          actorRole: account.role,
          action: 'auth.login',
          outcome: 'ok',
          scopeCode: account.scopeCode,
        });
      });
      return { token, csrfToken, expiresAt, account };
    },

    /** The principal behind a session token, or an error saying why there is none. Keeps the session alive. */
    async resolve(token: string): Promise<Principal> {
      const tokenHash = hashToken(token);
      const cached = sessions.get(tokenHash);
      if (cached) return cached;
      const generation = sessions.generation;
      const repository = authRepository(db);
      const session = await repository.findSession(tokenHash);
      if (!session || session.revokedAt || session.disabledAt) throw sessionExpired();
      const now = Date.now();
      const idleLimit = new Date(session.lastSeenAt).getTime() + SESSION_IDLE_HOURS * 3_600_000;
      if (new Date(session.expiresAt).getTime() <= now || idleLimit <= now) throw sessionExpired();
      // A password change ends the sessions opened before it.
      if (new Date(session.passwordChangedAt).getTime() > new Date(session.createdAt).getTime()) throw sessionExpired();
      if (now - new Date(session.lastSeenAt).getTime() > 60_000) await repository.touchSession(tokenHash);
      const principal: Principal = {
        accountId: session.accountId,
        username: session.username,
        displayName: session.displayName,
        role: session.role,
        scopeCode: session.scopeCode,
        departmentCode: session.departmentCode,
        sessionId: tokenHash,
        csrfToken: session.csrfToken,
      };
      // Not cached if a session was revoked while this one was being read: it may have been this one.
      sessions.set(principal, generation);
      return principal;
    },

    async logout(principal: Principal, origin: RequestOrigin, everywhere: boolean): Promise<number> {
      if (everywhere) sessions.forgetAccount(principal.accountId);
      else sessions.forgetSession(principal.sessionId);
      return db.transaction(async (tx) => {
        const repository = authRepository(tx);
        let ended = 1;
        if (everywhere) ended = await repository.revokeAccountSessions(principal.accountId);
        else await repository.revokeSession(principal.sessionId);
        await repository.insertAudit({
          actorId: principal.accountId,
          actorUsername: principal.username,
          actorRole: principal.role,
          action: everywhere ? 'auth.logout_everywhere' : 'auth.logout',
          outcome: 'ok',
          targetType: 'account',
          targetId: principal.username,
          scopeCode: principal.scopeCode,
          ...origin,
          details: { sessionsEnded: ended },
        });
        return ended;
      });
    },
  };
}

export type AuthService = ReturnType<typeof authService>;
