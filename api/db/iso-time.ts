import { type SQL, sql } from 'drizzle-orm';

/** A timestamp column as ISO 8601 UTC text with milliseconds, the same from both drivers. */
export const isoTime = (column: SQL) => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
