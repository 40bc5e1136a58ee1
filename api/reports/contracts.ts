import { z } from '@hono/zod-openapi';
import { StoredPhotoSchema } from '../cases/photos/routes.ts';
import { caseSteps, reports } from '../db/schema.ts';
import { createSelectSchema, isoTimeText, PolygonSchema } from '../openapi.ts';
import { URGENCIES } from '../vocabulary/report-types.ts';

const AreaNameSchema = z.object({ code: z.string(), name: z.string().nullable() });
const AreasSchema = z.object({ cell: AreaNameSchema, grid: AreaNameSchema, village: AreaNameSchema, township: AreaNameSchema });
const PositionSchema = z.tuple([z.number(), z.number()]).openapi({ description: '[lng, lat], WGS84' });

/** A report as its reporter sees it: the columns of `reports` it carries, timestamps as ISO text. */
export const ReportSchema = createSelectSchema(reports, {
  caseNumber: (column) => column.openapi({ example: 'TJ20261129-0042' }),
  urgency: () => z.enum(URGENCIES),
  reportedAt: isoTimeText,
  dueAt: isoTimeText,
  closedAt: isoTimeText,
})
  .pick({
    id: true,
    caseNumber: true,
    clientId: true,
    type: true,
    urgency: true,
    description: true,
    state: true,
    source: true,
    responsibleLevel: true,
    inputDatum: true,
    accuracyM: true,
    reportedAt: true,
    clockStage: true,
    dueAt: true,
    closedAt: true,
    mergedInto: true,
  })
  .extend({
    position: PositionSchema,
    areas: AreasSchema,
    controlZone: PolygonSchema.nullable(),
    photos: z.array(StoredPhotoSchema),
  })
  .openapi('Report');
export type ReportView = z.infer<typeof ReportSchema>;

/** A report as its reporter follows it: the report without its zone and photo list, with its progress. */
export const MyReportSchema = ReportSchema.omit({ clientId: true, controlZone: true, photos: true })
  .extend({
    closed: z.boolean(),
    photoCount: z.number().int(),
    lastStep: createSelectSchema(caseSteps, { at: isoTimeText })
      .pick({ action: true, toState: true, at: true, actorName: true, note: true })
      .nullable(),
  })
  .openapi('MyReport');
