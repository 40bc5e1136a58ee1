import { type PGlite, types } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { inlineParameters, NotALiteral, quoteLiteral } from './literal.ts';
import type { ReaderSettings } from './scoped.ts';

/** The parsers drizzle's PGlite driver uses for raw queries: dates and intervals stay text. */
const DRIZZLE_PARSERS = {
  [types.TIMESTAMP]: (value: string) => value,
  [types.TIMESTAMPTZ]: (value: string) => value,
  [types.INTERVAL]: (value: string) => value,
  [types.DATE]: (value: string) => value,
  1231: (value: string) => value,
  1115: (value: string) => value,
  1185: (value: string) => value,
  1187: (value: string) => value,
  1182: (value: string) => value,
};

/**
 * Scoped reads on the embedded database in one call into it. The scope is transaction-local
 * (see scoped.ts), and PGlite runs several statements sent together as one implicit
 * transaction: setting the role and scope and running the read in one message costs one round
 * trip into WASM instead of four (BEGIN, set_config, the read, COMMIT), and the role ends with
 * that message whatever happens. PGlite runs one message or transaction at a time, so nothing
 * else can run in between. A read with other parameters takes `fallback`, the transaction path.
 */
export function pgliteScopedRows(client: PGlite, fallback: <Row>(settings: ReaderSettings, query: SQL) => Promise<Row[]>) {
  return async <Row>(settings: ReaderSettings, query: SQL): Promise<Row[]> => {
    let text: string;
    try {
      text = inlineParameters(query);
    } catch (error) {
      if (error instanceof NotALiteral) return fallback<Row>(settings, query);
      throw error;
    }
    const message =
      `SELECT set_config('role', 'gcc_scoped', true), set_config('gcc.scope', ${quoteLiteral(settings.scope)}, true), ` +
      `set_config('gcc.department', ${quoteLiteral(settings.department)}, true), ` +
      `set_config('gcc.account', ${quoteLiteral(settings.account)}, true); ${text}`;
    try {
      const results = await client.exec(message, { rowMode: 'object', parsers: DRIZZLE_PARSERS });
      return (results.at(-1)?.rows ?? []) as Row[];
    } catch (error) {
      // Failures look as they do through drizzle: the database's error is the cause.
      throw new DrizzleQueryError(text, [], error as Error);
    }
  };
}
