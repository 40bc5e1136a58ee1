import * as z from 'zod/mini';

/**
 * Who reads a payload or a timeline: an account's area scope, a code prefix (DESIGN.md, "Codes").
 * Everything that leaves the server about an area is cut against it.
 */
export interface ReaderScope {
  readonly scopeCode: string;
}

/** A township's code is the first 9 digits of every code inside it. */
const TOWNSHIP_CODE_LENGTH = 9;

/**
 * Whether a reader may be told about an area (or a thing placed in it): the area lies inside the
 * scope, or the scope lies inside the area (the reader's own township or village is no secret).
 */
export function seesArea(reader: ReaderScope, areaCode: string): boolean {
  return areaCode.startsWith(reader.scopeCode) || reader.scopeCode.startsWith(areaCode);
}

/** Whether an area outside the reader's scope still lies in the reader's own township. */
function inReadersTownship(reader: ReaderScope, areaCode: string): boolean {
  return (
    reader.scopeCode.length >= TOWNSHIP_CODE_LENGTH &&
    areaCode.slice(0, TOWNSHIP_CODE_LENGTH) === reader.scopeCode.slice(0, TOWNSHIP_CODE_LENGTH)
  );
}

/**
 * What a reader is told about things outside its scope: how many, how many of them in its own
 * township, and across how many other townships the rest are (never which).
 * Shown as "35 人，分属 2 个其他乡镇".
 */
export const OutsideCountSchema = z.object({
  count: z.number(),
  inOwnTownship: z.number(),
  otherTownships: z.number(),
});
export type OutsideCount = z.infer<typeof OutsideCountSchema>;

/** Counts the area codes outside the reader's scope; null when there are none. */
export function outsideCount(reader: ReaderScope, areaCodes: readonly string[]): OutsideCount | null {
  const outside = areaCodes.filter((code) => !seesArea(reader, code));
  if (outside.length === 0) return null;
  const own = outside.filter((code) => inReadersTownship(reader, code));
  const others = new Set(
    outside.filter((code) => !inReadersTownship(reader, code)).map((code) => code.slice(0, TOWNSHIP_CODE_LENGTH)),
  );
  return { count: outside.length, inOwnTownship: own.length, otherTownships: others.size };
}

/**
 * A case the reader may not open, in place of its id, number and place: only whether it lies in
 * the reader's own township ("并入本乡镇其他区域的案件") or not ("并入另一乡镇的案件").
 */
export const OutsideCaseSchema = z.object({
  outsideScope: z.literal(true),
  inOwnTownship: z.boolean(),
});
export type OutsideCase = z.infer<typeof OutsideCaseSchema>;

export function outsideCase(reader: ReaderScope, cellCode: string): OutsideCase {
  return { outsideScope: true, inOwnTownship: inReadersTownship(reader, cellCode) };
}
