import * as z from 'zod/mini';
import { CaseStepSchema, cutStep } from './case-timeline.ts';
import { OutsideCaseSchema, outsideCase, type ReaderScope, seesArea } from './reader-scope.ts';
import { TaskEscalatedPayloadSchema, TaskRemindedPayloadSchema } from './task-monitor.ts';
import { TaskDispatchedPayloadSchema, TaskTargetPayloadSchema } from './tasks.ts';

/**
 * A case as every live consumer sees it: enough to draw it on the map and in a list and to
 * decide whether to flash.
 */
const LiveCaseSchema = z.object({
  id: z.string(),
  caseNumber: z.string(),
  type: z.string(),
  urgency: z.enum(['normal', 'urgent']),
  state: z.string(),
  /** [lng, lat], WGS84. */
  position: z.tuple([z.number(), z.number()]),
  cellCode: z.string(),
  townshipCode: z.string(),
  reportedAt: z.string(),
  dueAt: z.nullable(z.string()),
  takenAt: z.nullable(z.string()),
  source: z.string(),
  description: z.string(),
});
export type LiveCase = z.infer<typeof LiveCaseSchema>;

/** A case another event names: in full when the reader may see it, otherwise only that it is outside. */
const CaseRefSchema = z.union([LiveCaseSchema, OutsideCaseSchema]);
export type LiveCaseRef = z.infer<typeof CaseRefSchema>;

/**
 * Who hears a live event: an area scope, and for a department cadre its department, whose lines
 * decide which cases it may be told of (migrations/0009); absent or null for every other reader.
 */
export interface LiveReader extends ReaderScope {
  readonly department?: string | null;
}

/** `onLines`: false when the reader is a department cadre whose department does not see the case. */
function caseFor(reader: ReaderScope, liveCase: LiveCaseRef, onLines = true): LiveCaseRef {
  if ('outsideScope' in liveCase) return liveCase;
  return onLines && seesArea(reader, liveCase.cellCode) ? liveCase : outsideCase(reader, liveCase.cellCode);
}

/**
 * Whether a department cadre's lines cover a case, given the departments that see it (each of
 * whose cadres may read it, migrations/0009); every other reader's do. A case whose departments
 * were not recorded is on no cadre's lines: it fails closed.
 */
function onLines(reader: LiveReader, departments: readonly string[] | undefined): boolean {
  if (!reader.department) return true;
  return departments?.includes(reader.department) ?? false;
}

/** A GeoJSON Polygon, [lng, lat] WGS84. */
const PolygonSchema = z.object({
  type: z.literal('Polygon'),
  coordinates: z.array(z.array(z.array(z.number()))),
});

/** An alert to one person (api/cases/impact). `reportId` is null when the case is outside the reader's scope. */
const LiveAlertSchema = z.object({
  id: z.string(),
  reportId: z.nullable(z.string()),
  personId: z.string(),
  personName: z.string(),
  personRole: z.string(),
  areaCode: z.string(),
  alertedAt: z.string(),
  acknowledged: z.boolean(),
  acknowledgedAt: z.nullable(z.string()),
  acknowledgedBy: z.nullable(z.object({ accountId: z.string(), name: z.nullable(z.string()) })),
});

/** An acknowledgement outside the reader's scope: that one came in, by which role, when; never who or where. */
const OutsideAlertSchema = z.object({
  outsideScope: z.literal(true),
  inOwnTownship: z.boolean(),
  personRole: z.string(),
  acknowledgedAt: z.nullable(z.string()),
});

const DrillStatusSchema = z.object({
  running: z.boolean(),
  intervalSeconds: z.number(),
  scopeCode: z.nullable(z.string()),
  startedBy: z.nullable(z.string()),
  startedAt: z.nullable(z.string()),
  reportsFiled: z.number(),
});

/** A worker on patrol as the live map draws them. */
const LivePatrolSchema = z.object({
  id: z.string(),
  workerId: z.string(),
  workerName: z.string(),
  workerRole: z.string(),
  /** The walker's area (their grid, or cell): the event's scope code. */
  areaCode: z.string(),
  startedAt: z.string(),
  /** False once the patrol has ended: the map takes the worker off. */
  active: z.boolean(),
});

/** The newest valid fix of a patrol: [lng, lat] WGS84, its fix time, its accuracy in metres. */
const LiveFixSchema = z.object({
  position: z.tuple([z.number(), z.number()]),
  fixedAt: z.string(),
  accuracyM: z.number(),
});

/** How one event type's payload is checked, and cut for a reader. */
interface LiveEventKind<Schema extends z.ZodMiniType> {
  schema: Schema;
  /**
   * The payload as `reader` may see it. The hub sends an event only to readers whose scope
   * contains the event's scope code (and to department cadres only of the departments its log row
   * names); what the payload says about any other area is cut here. Null: this reader hears
   * nothing of it (it may see none of the cases the event names).
   */
  cut(payload: z.infer<Schema>, reader: LiveReader): z.infer<Schema> | null;
}

const kind = <Schema extends z.ZodMiniType>(
  schema: Schema,
  cut: (payload: z.infer<Schema>, reader: LiveReader) => z.infer<Schema> | null,
): LiveEventKind<Schema> => ({ schema, cut });

/**
 * Every live event type, its payload's schema and its cut, declared together: a type without a
 * cut does not compile, and the union below, the server's frames and web's parser all come from
 * here.
 */
const LIVE_EVENTS = {
  /** A new report; scoped to its cell, so every recipient sees the case. */
  'report.created': kind(z.object({ case: LiveCaseSchema }), (payload) => payload),
  /** A workflow step, or a new control zone (`change`); scoped to the case's cell. The step's details are cut. */
  'case.changed': kind(
    z.object({
      case: LiveCaseSchema,
      step: z.optional(CaseStepSchema),
      change: z.optional(z.literal('control_zone')),
      controlZone: z.optional(PolygonSchema),
    }),
    (payload, reader) => (payload.step ? { ...payload, step: cutStep(payload.step, reader) } : payload),
  ),
  /** The escalation step of an overdue case; scoped to its cell. */
  'case.escalated': kind(
    z.object({ case: LiveCaseSchema, step: CaseStepSchema, fromLevel: z.string(), toLevel: z.string() }),
    (payload, reader) => ({ ...payload, step: cutStep(payload.step, reader) }),
  ),
  /**
   * A case merged into another; sent to both cases' cells. Each reader sees a case only if its
   * scope covers it and, for a department cadre, its department sees it (`departments`: which do,
   * per case; never sent): a merge across townships or departments tells each side no more than
   * that its case was merged, or that another case was merged into it. A reader who may see
   * neither case hears nothing. Rows logged before `departments` was recorded show a cadre only
   * `case`, the case their row's departments were taken from.
   */
  'case.merged': kind(
    z.object({
      case: CaseRefSchema,
      into: CaseRefSchema,
      departments: z.optional(z.object({ case: z.array(z.string()), into: z.array(z.string()) })),
    }),
    (payload, reader) => {
      const merged = caseFor(reader, payload.case, payload.departments ? onLines(reader, payload.departments.case) : true);
      const into = caseFor(reader, payload.into, onLines(reader, payload.departments?.into));
      if ('outsideScope' in merged && 'outsideScope' in into) return null;
      return { case: merged, into };
    },
  ),
  /**
   * Alerts to the people of one cell or grid (the event's scope code), about a case that may lie
   * elsewhere: the people are the reader's, the case only if the reader's scope covers it.
   */
  'alert.sent': kind(z.object({ case: CaseRefSchema, alerts: z.array(LiveAlertSchema) }), (payload, reader) => {
    const liveCase = caseFor(reader, payload.case);
    const visible = payload.alerts.filter((alert) => seesArea(reader, alert.areaCode));
    const alerts = 'outsideScope' in liveCase ? visible.map((alert) => ({ ...alert, reportId: null })) : visible;
    return { case: liveCase, alerts };
  }),
  /** An alert acknowledged; scoped to the case's cell, while the person may be in another township. */
  'alert.acknowledged': kind(
    z.object({ case: CaseRefSchema, alert: z.union([LiveAlertSchema, OutsideAlertSchema]) }),
    (payload, reader) => {
      const { alert } = payload;
      const cutAlert =
        'outsideScope' in alert || seesArea(reader, alert.areaCode)
          ? alert
          : {
              outsideScope: true as const,
              inOwnTownship: outsideCase(reader, alert.areaCode).inOwnTownship,
              personRole: alert.personRole,
              acknowledgedAt: alert.acknowledgedAt,
            };
      return { case: caseFor(reader, payload.case), alert: cutAlert };
    },
  ),
  /** A drill started or stopped; scoped to the drill's scope, which every recipient's scope contains. */
  'drill.changed': kind(z.object({ drill: DrillStatusSchema }), (payload) => payload),
  /**
   * Where a worker on patrol is now: one event per uploaded batch (never one per fix), at most one
   * a second per worker (api/patrols/service.ts). Scoped to the walker's area, so only readers whose
   * scope covers it hear it, and no department cadre (its log row names no department).
   */
  'patrol.moved': kind(z.object({ patrol: LivePatrolSchema, fix: z.nullable(LiveFixSchema) }), (payload, reader) =>
    seesArea(reader, payload.patrol.areaCode) ? payload : { ...payload, fix: null },
  ),
  /** A task's target reminded from the command center; scoped to the target's cell or grid, which is all it names. */
  'task.reminded': kind(TaskRemindedPayloadSchema, (payload) => payload),
  /** A silent target escalated to its grid worker or grid chief; scoped to the target's cell or grid, naming no person. */
  'task.escalated': kind(TaskEscalatedPayloadSchema, (payload) => payload),
  /**
   * A task reached one target (api/tasks): scoped to the target's cell or grid, so its informant's
   * or worker's phone and those above it hear it; its department's cadres only (none for a
   * commander's task). It names no person.
   */
  'task.dispatched': kind(TaskDispatchedPayloadSchema, (payload) => payload),
  /** A target's state changed (api/tasks); scoped to the target's cell or grid, which is all it names. */
  'task.target': kind(TaskTargetPayloadSchema, (payload) => payload),
} as const;

type LiveEvents = typeof LIVE_EVENTS;
export type LiveEventType = keyof LiveEvents;
export const LIVE_EVENT_TYPES = Object.keys(LIVE_EVENTS) as readonly LiveEventType[];

/** The payload of one event type. */
type LivePayload<Type extends LiveEventType> = z.infer<LiveEvents[Type]['schema']>;

/** One live event: its type and its payload, discriminated by `type`. */
export type LiveEvent<Type extends LiveEventType = LiveEventType> = {
  [T in Type]: { type: T; payload: LivePayload<T> };
}[Type];

type Cuts = {
  [T in LiveEventType]: { cut: (payload: LivePayload<T>, reader: LiveReader) => LivePayload<T> | null };
};
const CUTS: Cuts = LIVE_EVENTS;

/** The event as `reader` may see it, or null when it may not hear of it: the one place every payload is cut. */
export function cutLiveEvent<Type extends LiveEventType>(event: LiveEvent<Type>, reader: LiveReader): LiveEvent<Type> | null {
  const { cut } = CUTS[event.type];
  const payload = cut(event.payload, reader);
  return payload === null ? null : ({ type: event.type, payload } as LiveEvent<Type>);
}

/** The `data:` of an SSE frame: the log id, when, the type, the scope code, and the payload cut for the reader. */
function frameSchema<Type extends LiveEventType>(type: Type) {
  const payload: LiveEvents[Type]['schema'] = LIVE_EVENTS[type].schema;
  return z.object({ id: z.number(), at: z.string(), type: z.literal(type), scopeCode: z.string(), payload });
}

/** Every frame's data, checked: what web's live stream parses each message with. */
export const LiveFrameSchema = z.discriminatedUnion('type', [
  frameSchema('report.created'),
  frameSchema('case.changed'),
  frameSchema('case.escalated'),
  frameSchema('case.merged'),
  frameSchema('alert.sent'),
  frameSchema('alert.acknowledged'),
  frameSchema('drill.changed'),
  frameSchema('patrol.moved'),
  frameSchema('task.reminded'),
  frameSchema('task.escalated'),
  frameSchema('task.dispatched'),
  frameSchema('task.target'),
]);
export type LiveFrame = z.infer<typeof LiveFrameSchema>;

/** Adding a type to LIVE_EVENTS without its frame above is a type error here. */
type Unframed = Exclude<LiveEventType, LiveFrame['type']>;
const everyTypeFramed: [Unframed] extends [never] ? true : Unframed = true;
void everyTypeFramed;

/** Checks a payload against its type's schema; null (never a throw) for one that does not match. */
export function parseLiveEvent(type: string, payload: unknown): LiveEvent | null {
  if (!isLiveEventType(type)) return null;
  const parsed = LiveFrameSchema.safeParse({ id: 0, at: '', type, scopeCode: '', payload });
  return parsed.success ? ({ type: parsed.data.type, payload: parsed.data.payload } as LiveEvent) : null;
}

export function isLiveEventType(value: string): value is LiveEventType {
  return Object.hasOwn(LIVE_EVENTS, value);
}

/** Throws unless the payload matches its type's schema: a producer's bug, caught before it is logged. */
export function checkLiveEvent<Type extends LiveEventType>(event: LiveEvent<Type>): void {
  const parsed = LIVE_EVENTS[event.type].schema.safeParse(event.payload);
  if (!parsed.success) throw new Error(`live event ${event.type} has a payload its schema refuses: ${parsed.error.message}`);
}

/** The case itself when the reader may see it; null for one outside its scope. */
export function visibleCase(ref: LiveCaseRef): LiveCase | null {
  return 'outsideScope' in ref ? null : ref;
}

/** The cases an event is about that its reader may open: `case`, and for a merge also `into`. */
export function caseIdsOf(event: LiveEvent): string[] {
  switch (event.type) {
    case 'drill.changed':
    case 'patrol.moved':
    case 'task.reminded':
    case 'task.escalated':
    case 'task.dispatched':
    case 'task.target':
      return [];
    case 'case.merged':
      return [visibleCase(event.payload.case)?.id, visibleCase(event.payload.into)?.id].filter(
        (id): id is string => id !== undefined,
      );
    default: {
      const id = visibleCase(event.payload.case)?.id;
      return id === undefined ? [] : [id];
    }
  }
}
