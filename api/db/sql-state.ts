/** What a database error says of itself, from either driver (pg, PGlite), found through drizzle's wrapping. */
export interface SqlFailure {
  /** The SQLSTATE, e.g. `23505` unique_violation, `22021` character_not_in_repertoire. */
  code: string;
  constraint?: string;
  message: string;
}

/** The first error in the `cause` chain that carries a SQLSTATE; null when the failure is not the database's. */
export function sqlFailureOf(error: unknown): SqlFailure | null {
  for (let cause = error; typeof cause === 'object' && cause !== null; ) {
    const candidate = cause as { code?: unknown; constraint?: unknown; message?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return {
        code: candidate.code,
        ...(typeof candidate.constraint === 'string' ? { constraint: candidate.constraint } : {}),
        message: typeof candidate.message === 'string' ? candidate.message : '',
      };
    }
    cause = candidate.cause;
  }
  return null;
}

/**
 * SQLSTATE class 22, data exception: a value the database cannot take (a character its text
 * cannot hold, a date or number out of its range). Input validation refuses these first; when one
 * still reaches the database it is the request's value that is wrong, not the server.
 */
export function isDataException(failure: SqlFailure | null): boolean {
  return failure?.code.startsWith('22') ?? false;
}
