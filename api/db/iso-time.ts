import { type SQL, sql } from 'drizzle-orm';

/** A timestamp column as ISO 8601 UTC text with milliseconds, the same from both drivers. */
export const isoTime = (column: SQL) => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

type IsoText<Value> = Value extends Date ? string : Value;

/** A row of a table as read with its timestamps through `isoTime`: each Date of the schema's row is ISO text. */
export type WithIsoTimes<Row> = { [Key in keyof Row]: IsoText<Row[Key]> };
