import type { Queryable } from './db/client.ts';
import type { AppError } from './errors.ts';

/** The signed-in account behind a request. */
export interface Principal {
  accountId: string;
  username: string;
  displayName: string;
  role: string;
  scopeCode: string;
  /** For department cadres: the department (D01..) whose dispatched cases they act on. */
  departmentCode: string | null;
  /** SHA-256 of the session token: identifies the session without being the secret. */
  sessionId: string;
  csrfToken: string;
}

/** Hono context variables shared by every capability. */
export interface AppEnv {
  Variables: {
    /** Null on public routes when nobody is signed in. */
    principal: Principal | null;
    /** The database as the principal may see it: cut to their scope by row-level security. */
    db: Queryable;
    /** Why the session cookie did not give a principal (expired, revoked), to answer 401 with. */
    sessionError: AppError | null;
    /** Where the request came from, for the audit log. */
    clientIp: string;
  };
}
