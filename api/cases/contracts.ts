import { z } from '@hono/zod-openapi';
import { caseSteps, reportPhotos, reports, timeLimits } from '../db/schema.ts';
import { createInsertSchema, createSelectSchema, isoTimeText } from '../openapi.ts';
import { CASE_ACTIONS, REQUEST_KINDS } from '../vocabulary/case-states.ts';
import { LIGHTS } from './light.ts';
import { CLOCK_KINDS, LIMIT_UNITS } from './working-time.ts';

const PositionSchema = z.tuple([z.number(), z.number()]).openapi({ description: '[lng, lat], WGS84' });
export const LightSchema = z.enum(LIGHTS as ['green', 'yellow', 'red', 'none']);
const LimitUnitSchema = z.enum(LIMIT_UNITS as ['minutes', 'hours', 'days']);
const ClockKindSchema = z.enum(CLOCK_KINDS as ['natural', 'working']).openapi({
  description:
    'natural: every hour counts, nights, weekends and holidays included (自然时间); working: office time on working days only, 08:30-12:00 and 14:00-17:30 Asia/Shanghai, a working day being 7 office hours (工作时间)',
});

/** A name read beside a code (an area's, a department's); null when the code names nothing. */
const AreaNameSchema = z.object({ code: z.string(), name: z.string().nullable() });

/**
 * The columns of `reports` a case carries over the wire, as the table declares them, with the
 * timestamps as ISO text and the descriptions the OpenAPI document shows.
 */
const CaseColumnsSchema = createSelectSchema(reports, {
  responsibleLevel: (column) =>
    column.openapi({ description: 'cell | grid | village | township | county; escalation moves it up' }),
  coDepartmentCodes: () => z.array(z.string()),
  clockStage: (column) => column.openapi({ description: 'file | acknowledge | handle | check; null once the clock stopped' }),
  clockStartedAt: isoTimeText,
  dueAt: isoTimeText,
  limitUnit: (column) =>
    column.openapi({ description: 'minutes | hours | days, counted on limitClock; includes approved extensions' }),
  takenAt: isoTimeText,
  reportedAt: isoTimeText,
  filedAt: isoTimeText,
  dispatchedAt: isoTimeText,
  closedAt: isoTimeText,
  updatedAt: isoTimeText,
  version: (column) => column.openapi({ description: 'Send it back with an action (optimistic concurrency)' }),
});

/** A case as lists show it: where, what, its state, its clock and its light. */
export const CaseSummarySchema = CaseColumnsSchema.pick({
  id: true,
  caseNumber: true,
  type: true,
  urgency: true,
  state: true,
  description: true,
  source: true,
  reporterName: true,
  cellCode: true,
  gridCode: true,
  villageCode: true,
  townshipCode: true,
  responsibleLevel: true,
  assignedTownshipCode: true,
  assignedDepartmentCode: true,
  coDepartmentCodes: true,
  supervised: true,
  parked: true,
  escalationCount: true,
  clockStage: true,
  clockStartedAt: true,
  dueAt: true,
  limitAmount: true,
  limitUnit: true,
  reportedAt: true,
  filedAt: true,
  dispatchedAt: true,
  closedAt: true,
  closedOnTime: true,
  satisfaction: true,
  takenAt: true,
  updatedAt: true,
  version: true,
})
  .extend({
    position: PositionSchema,
    townshipName: z.string().nullable(),
    villageName: z.string().nullable(),
    assignedDepartmentName: z.string().nullable(),
    limitClock: ClockKindSchema.nullable().openapi({
      description: 'The clock of the current limit: natural (自然时间) or working (工作时间); null when the case never had one',
    }),
    light: LightSchema,
    usedShare: z.number().nullable().openapi({ description: 'Share of the running limit used: 0..1, above 1 when late' }),
    pendingRequestKind: z.string().nullable().openapi({ description: 'The kind of request waiting for approval, if any' }),
  })
  .openapi('CaseSummary');
export type CaseSummary = z.infer<typeof CaseSummarySchema>;

/**
 * A timeline step as it leaves the server, from `case_steps`, with the photos it shows. Its
 * details are cut per reader by api/vocabulary/case-timeline.ts, whose CaseStep the service
 * returns (the route's typed answer checks the two agree).
 */
const StepSchema = createSelectSchema(caseSteps, {
  at: isoTimeText,
  details: () => z.record(z.string(), z.unknown()),
})
  .pick({
    id: true,
    at: true,
    actorName: true,
    actorRole: true,
    action: true,
    fromState: true,
    toState: true,
    note: true,
    details: true,
  })
  .extend({ photoIds: z.array(z.string()) })
  .openapi('CaseStep');

/** An extension, send-back, park or cancel waiting for approval, as `reports.pending_request` holds it. */
const PendingRequestSchema = z.object({
  kind: z.enum(REQUEST_KINDS),
  reason: z.string(),
  requestedBy: z.object({ accountId: z.string(), name: z.string(), role: z.string() }),
  requestedAt: z.string(),
  amount: z
    .number()
    .int()
    .optional()
    .openapi({ description: 'For an extension: how much more time, in hours or days on the case’s own clock' }),
  unit: z.enum(['hours', 'days']).optional().openapi({ description: 'On the case’s own clock (limitClock)' }),
});
export type PendingRequest = z.infer<typeof PendingRequestSchema>;

/** A photo of the case as its detail lists it (the bytes are read one by one at /api/photos/{id}). */
const CasePhotoSchema = createSelectSchema(reportPhotos, { createdAt: isoTimeText }).pick({
  id: true,
  stepId: true,
  contentType: true,
  byteSize: true,
  createdAt: true,
});

/** One case with its areas, control zone, timeline, photos, pending request and the actions the viewer may take now. */
export const CaseDetailSchema = CaseSummarySchema.extend({
  ...CaseColumnsSchema.pick({ reporterRole: true, accuracyM: true, inputDatum: true, mergedInto: true }).shape,
  areas: z.object({ township: AreaNameSchema, village: AreaNameSchema, grid: AreaNameSchema, cell: AreaNameSchema }),
  urban: z.boolean().openapi({ description: 'The township is marked urban (the on-site check limit depends on it)' }),
  coDepartments: z.array(AreaNameSchema),
  controlZone: z.unknown().openapi({ description: 'GeoJSON Polygon ([lng, lat] WGS84) or null' }),
  pendingRequest: PendingRequestSchema.nullable(),
  reworkCount: z.number().int(),
  photos: z.array(CasePhotoSchema),
  steps: z.array(StepSchema),
  nextActions: z.array(z.enum(CASE_ACTIONS)).openapi({ description: 'The actions the viewer may take now' }),
}).openapi('CaseDetail');
export type CaseDetail = z.infer<typeof CaseDetailSchema>;

/** What an action answers: the case after it and the step it wrote. */
export const ActionResultSchema = z.object({
  case: CaseDetailSchema,
  step: StepSchema,
  replayed: z.boolean().openapi({ description: 'True when this clientId was applied before and nothing was written now' }),
});
export type ActionResult = z.infer<typeof ActionResultSchema>;

export const ActionBodySchema = z
  .object({
    action: z.enum(CASE_ACTIONS),
    clientId: z.string().uuid().openapi({ description: 'Generated by the client: a retry with it is applied once' }),
    version: z.number().int().min(1).openapi({ description: 'The case version the client saw' }),
    note: z.string().max(2000).optional(),
    townshipCode: z
      .string()
      .regex(/^\d{9}$/)
      .optional()
      .openapi({ description: 'dispatch: the case’s township' }),
    departmentCode: z
      .string()
      .regex(/^(D\d{2,3}|P\d{3})$/)
      .optional()
      .openapi({ description: 'dispatch: the lead department' }),
    coDepartmentCodes: z
      .array(z.string().regex(/^(D\d{2,3}|P\d{3})$/))
      .max(10)
      .optional()
      .openapi({ description: 'dispatch: co-handling departments (协同)' }),
    photoIds: z
      .array(z.string().min(1).max(64))
      .max(9)
      .optional()
      .openapi({ description: 'handle, feedback, on_spot: photos of this case' }),
    passed: z.boolean().optional().openapi({ description: 'check: false sends the case back for rework' }),
    amount: z.number().int().min(1).max(250).optional().openapi({ description: 'request_extension: how much more time' }),
    unit: z
      .enum(['hours', 'days'])
      .optional()
      .openapi({ description: 'request_extension: hours or days, on the case’s own clock (natural or working)' }),
  })
  .openapi('CaseActionBody');

/** A row of `time_limits` as it leaves the server. */
const TimeLimitSchema = createSelectSchema(timeLimits, {
  type: (column) => column.openapi({ description: 'A report type, or * for every type without a row of its own' }),
  urgency: (column) => column.openapi({ description: 'normal | urgent; for the check stage urban | rural' }),
  stage: () => z.enum(['file', 'acknowledge', 'handle', 'check']),
  unit: () => LimitUnitSchema,
  clock: () => ClockKindSchema,
  updatedAt: isoTimeText,
}).openapi('TimeLimit');

export const TimeLimitsSchema = z.object({
  limits: z.array(TimeLimitSchema),
  units: z.array(LimitUnitSchema),
  clocks: z.array(ClockKindSchema),
});

/** A row of the time-limits form: the table's columns but the bookkeeping ones, bounded as input. */
export const TimeLimitInputSchema = createInsertSchema(timeLimits, {
  type: (column) => column.max(32),
  urgency: (column) => column.max(16),
  stage: (column) => column.max(16),
  unit: (column) => column.max(16).openapi({ description: 'minutes | hours | days' }),
  clock: (column) => column.max(16).openapi({ description: 'natural | working' }),
}).omit({ updatedAt: true, updatedBy: true });
