import type { Hook } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { createSchemaFactory } from 'drizzle-zod';
import type { AppEnv } from './app-env.ts';
import { badRequest } from './errors.ts';

/**
 * drizzle-zod on the zod of @hono/zod-openapi: a contract taken from a table (api/db/schema.ts)
 * still takes `.openapi()`, so a column is declared once and its type reaches the route, the
 * OpenAPI document and web/ (through `hc<AppType>`) from there.
 */
export const { createSelectSchema, createInsertSchema } = createSchemaFactory({ zodInstance: z });

/**
 * A timestamp column as it crosses the wire: ISO 8601 UTC text (api/db/iso-time.ts), where the
 * table holds a Date. Given to createSelectSchema for each timestamp a contract carries; the
 * column's nullability still comes from the table.
 */
export const isoTimeText = () => z.string().openapi({ description: 'ISO 8601, UTC' });

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_area_code' }),
      message: z.string().openapi({ description: 'In Chinese, or English when Accept-Language asks for it' }),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

/** Turns a failed zod validation into the one error shape the API answers with (see app.onError). */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (result.success) return;
  const issues = unionsOpened(result.error.issues).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const where = issues.map((issue) => issue.path || '(body)').join(', ');
  throw badRequest(
    'invalid_request',
    { zh: `请求参数不正确：${where}`, en: `Invalid request parameters: ${where}` },
    { target: result.target, issues },
  );
};

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  errors?: Issue[][];
}

/**
 * The issues, with each union that failed opened where the value was of one option's type only:
 * that option's own issues (a batch's fixes sent one array a field, with a latitude out of
 * bounds, is told `fixes.lat.2`, not `fixes`: "Invalid input"). A union whose options all failed
 * deeper, or none did, is told as zod tells it.
 */
function unionsOpened(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): Issue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code !== 'invalid_union' || !issue.errors) return [{ ...issue, path }];
    const ofItsType = issue.errors.filter(
      (option) => !option.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0),
    );
    return ofItsType.length === 1 ? unionsOpened(ofItsType[0]!, path) : [{ ...issue, path }];
  });
}

const ERROR_DESCRIPTIONS = {
  400: 'Malformed input',
  401: 'Not signed in, or the session ended',
  403: 'The role may not do this, or the request came from another site',
  404: 'No such thing, or it is outside your scope',
  409: 'Conflicts with what exists',
  429: 'Too many failed sign-ins',
  503: 'Too busy now: try again after the Retry-After header’s seconds',
} as const;
type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

/** The error responses of a route, for its OpenAPI contract: all share the one error body. */
export function errorResponses<Status extends ErrorStatus>(...statuses: Status[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { content: { 'application/json': { schema: ErrorSchema } }, description: ERROR_DESCRIPTIONS[status] },
    ]),
  ) as unknown as Record<Status, { content: { 'application/json': { schema: typeof ErrorSchema } }; description: string }>;
}

/** The media type of an Excel workbook, as the exports send it. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The 200 response of an XLSX export, for its OpenAPI contract. */
export const xlsxResponse = (description = 'XLSX') => ({ content: { [XLSX_TYPE]: { schema: z.string() } }, description });

/** Years a date parameter may name: four digits, as the database and ISO 8601's basic form hold them. */
const MIN_YEAR = 1;
const MAX_YEAR = 9999;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A time as milliseconds since 1970-01-01 UTC (as a phone's clock and the Geolocation API give
 * it), in the years a date parameter may name.
 */
export const epochMs = z
  .number()
  .int()
  .min(Date.parse('0001-01-01T00:00:00Z'))
  .max(Date.parse('9999-12-31T23:59:59.999Z'))
  .openapi({ description: 'Milliseconds since 1970-01-01T00:00:00Z' });

/**
 * An array of numbers each as `element` takes it (within its bounds; whole for an int), checked
 * in one pass: checked one by one, as `z.array(element)` does, a batch of 500 fixes sent one
 * array a field cost three times the CPU (0.65 µs a fix against 0.22). Each item that is out is
 * named in the error, as zod would name it.
 */
export function numberColumn(element: z.ZodNumber, options: { nullable?: boolean } = {}) {
  const minimum = element.minValue ?? Number.NEGATIVE_INFINITY;
  const maximum = element.maxValue ?? Number.POSITIVE_INFINITY;
  const whole = element.isInt;
  const item = options.nullable ? z.number().nullable() : z.number();
  return z
    .array(item)
    .superRefine((values, context) => {
      for (let index = 0; index < values.length; index++) {
        const value = values[index];
        if (value === null || value === undefined) continue;
        if (value < minimum || value > maximum || (whole && !Number.isInteger(value))) {
          const range = `${whole ? 'a whole number' : 'a number'} from ${minimum} to ${maximum}`;
          context.addIssue({ code: 'custom', message: `expected ${range}`, path: [index] });
        }
      }
    })
    .openapi({
      items: { type: options.nullable ? [whole ? 'integer' : 'number', 'null'] : whole ? 'integer' : 'number', minimum, maximum },
    });
}

/** A record's id in a path (`/api/cases/{id}`): text of 1 to 64 characters; what it names is the route's to find. */
export const pathId = (name = 'id') =>
  z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name, in: 'path' } });

/** `{ id }` of a path such as `/api/cases/{id}`. */
export const idParam = z.object({ id: pathId() });

/**
 * A date or date-time query parameter in ISO 8601 with a four-digit year (`2026-05-11`,
 * `2026-05-11T08:00:00+08:00`). `z.coerce.date()` took anything `new Date` takes, such as
 * `99999` or `+275760-09-13`, which the database then refused.
 */
export const isoDateParam = z
  .string()
  .regex(ISO_DATE, 'expected an ISO 8601 date with a four-digit year, such as 2026-05-11 or 2026-05-11T08:00:00+08:00')
  .transform((text, context) => {
    const date = new Date(text);
    const year = date.getUTCFullYear();
    if (Number.isNaN(date.getTime()) || year < MIN_YEAR || year > MAX_YEAR) {
      context.addIssue({ code: 'custom', message: `not a date between year ${MIN_YEAR} and ${MAX_YEAR}` });
      return z.NEVER;
    }
    return date;
  })
  .openapi({ type: 'string', format: 'date-time' });

/**
 * A whole number in a query parameter, from `min` to `max`, written in decimal digits only:
 * `z.coerce.number()` read `0x10` as 16, `1e3` as 1000 and ` 7 ` as 7.
 */
export function queryInt(min: number, max = Number.MAX_SAFE_INTEGER) {
  return z
    .string()
    .regex(/^-?\d{1,16}$/, 'expected a whole number in decimal digits')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .openapi({ type: 'integer', minimum: min, ...(max < Number.MAX_SAFE_INTEGER ? { maximum: max } : {}) });
}

/** A control zone as routes take and give it. */
export const PolygonSchema = z
  .object({
    type: z.literal('Polygon'),
    coordinates: z.array(z.array(z.array(z.number()))),
  })
  .openapi('ControlZone', {
    description: 'GeoJSON Polygon, [lng, lat] WGS84; closed rings, at most 500 vertices, under 100 km²',
  });
