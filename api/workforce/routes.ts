import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import type { AuditContext } from '../audit/service.ts';
import { requires } from '../auth/middleware.ts';
import { languageOf } from '../errors.ts';
import {
  errorResponses,
  isoDateParam,
  isoTimeText,
  pathId,
  queryInt,
  validationHook,
  XLSX_TYPE,
  xlsxResponse,
} from '../openapi.ts';
import { CERTIFICATE_CODES, EXAM_STATUS_CODES } from '../vocabulary/workforce.ts';
import type { CommendationsService } from './commendations.ts';
import { workforceXlsx } from './export.ts';
import type { WorkforceService } from './service.ts';
import type { WorkerSurveysService } from './surveys.ts';

const tags = ['workforce'];

const json = <Schema extends z.ZodType>(schema: Schema, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
const body = <Schema extends z.ZodType>(schema: Schema) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

/** A calendar day, YYYY-MM-DD, checked to be real. */
const DaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD')
  .refine((day) => {
    // Checked even when the pattern failed: an invalid date must say so, not throw.
    const date = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
  }, 'not a calendar day')
  .openapi({ format: 'date' });
const YearQuery = z.object({ year: queryInt(2000, 2100).optional() });
const personParam = z.object({ id: pathId() });

const WorkerSchema = z
  .object({
    personId: z.string(),
    name: z.string(),
    phone: z.string(),
    gridCode: z.string(),
    gridName: z.string().nullable(),
    villageCode: z.string(),
    villageName: z.string().nullable(),
    townshipCode: z.string(),
    townshipName: z.string().nullable(),
    certificate: z.enum(CERTIFICATE_CODES),
    certificateNumber: z.string().nullable(),
    certifiedOn: z.string().nullable(),
    examStatus: z.enum(EXAM_STATUS_CODES),
    examYear: z.number().int().nullable(),
    trainingHours: z.number(),
    trainings: z.number().int(),
    surveyMean: z.number().nullable().openapi({ description: 'Mean of the year’s surveys, 1-5; null without any' }),
    surveys: z.number().int(),
  })
  .openapi('GridWorker');

const RateSchema = z
  .object({
    code: z.string(),
    name: z.string().nullable(),
    workers: z.number().int(),
    certified: z.number().int(),
    rate: z.number().nullable().openapi({ description: 'certified / workers, 0-1' }),
  })
  .openapi('CertificationRate');

const CredentialSchema = z.object({
  certificate: z.enum(CERTIFICATE_CODES),
  certificateNumber: z.string().trim().min(1).max(40).nullable().default(null),
  certifiedOn: DaySchema.nullable().default(null),
  examStatus: z.enum(EXAM_STATUS_CODES),
  examYear: z.number().int().min(2000).max(2100).nullable().default(null),
});

const TrainingSchema = z.object({
  course: z.string().trim().min(1).max(100),
  hours: z.number().positive().max(1000),
  completedOn: DaySchema,
});

const SurveyInputSchema = z.object({
  clientId: z.string().min(8).max(64),
  householdCode: z.string().regex(/^\d{18,24}$/, 'expected a household code'),
  score: z.number().int().min(1).max(5),
  comment: z.string().trim().max(500).default(''),
  surveyedAt: isoDateParam,
});

const SurveySchema = z
  .object({
    id: z.number().int(),
    clientId: z.string(),
    personId: z.string(),
    workerName: z.string(),
    householdCode: z.string().nullable(),
    areaCode: z.string(),
    score: z.number().int(),
    comment: z.string(),
    collectedByName: z.string(),
    surveyedAt: isoTimeText(),
  })
  .openapi('WorkerSurvey');

const CommendationSchema = z
  .object({
    id: z.number().int(),
    year: z.number().int(),
    personId: z.string(),
    name: z.string(),
    title: z.string(),
    score: z.number(),
    rank: z.number().int(),
    areaCode: z.string(),
    awardedByName: z.string(),
    awardedAt: isoTimeText(),
  })
  .openapi('Commendation');

const listWorkers = createRoute({
  method: 'get',
  path: '/api/workforce/workers',
  tags,
  summary:
    'Grid workers in your scope: certificate, exam, the year’s training hours and surveys; certification rate per township and village (audited)',
  middleware: [requires('review.view')] as const,
  request: { query: YearQuery },
  responses: {
    200: json(
      z.object({
        year: z.number().int(),
        workers: z.array(WorkerSchema),
        townships: z.array(RateSchema),
        villages: z.array(RateSchema),
      }),
      'The workers',
    ),
    ...errorResponses(400, 401, 403),
  },
});

const exportWorkers = createRoute({
  method: 'get',
  path: '/api/workforce/export.xlsx',
  tags,
  summary: 'The workforce list and the certification rate per township as XLSX (audited)',
  middleware: [requires('review.export')] as const,
  request: { query: YearQuery },
  responses: {
    200: xlsxResponse(),
    ...errorResponses(400, 401, 403),
  },
});

const setCredential = createRoute({
  method: 'put',
  path: '/api/workforce/workers/{id}/credential',
  tags,
  summary: 'Set a grid worker’s social-work certificate (社工证) and exam status',
  middleware: [requires('review.people')] as const,
  request: { params: personParam, ...body(CredentialSchema) },
  responses: { 200: json(z.object({ personId: z.string() }).passthrough(), 'Set'), ...errorResponses(400, 401, 403, 404) },
});

const addTraining = createRoute({
  method: 'post',
  path: '/api/workforce/workers/{id}/trainings',
  tags,
  summary: 'Record a training a grid worker completed',
  middleware: [requires('review.people')] as const,
  request: { params: personParam, ...body(TrainingSchema) },
  responses: {
    201: json(z.object({ id: z.number().int(), personId: z.string() }).passthrough(), 'Recorded'),
    ...errorResponses(400, 401, 403, 404),
  },
});

const recordSurvey = createRoute({
  method: 'post',
  path: '/api/workforce/surveys',
  tags,
  summary: 'Record a household’s satisfaction with its grid worker (idempotent by clientId)',
  middleware: [requires('surveys.record')] as const,
  request: body(SurveyInputSchema),
  responses: {
    200: json(z.object({ created: z.literal(false), survey: SurveySchema }), 'Already recorded under this client id'),
    201: json(z.object({ created: z.literal(true), survey: SurveySchema }), 'Recorded'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const surveyHouseholds = createRoute({
  method: 'get',
  path: '/api/workforce/surveys/households',
  tags,
  summary:
    'A page of the households you may survey (by code; search by code or address), with their grid worker and whether you surveyed them this year (audited)',
  middleware: [requires('surveys.record')] as const,
  request: {
    query: z.object({
      q: z.string().trim().max(50).optional(),
      after: z
        .string()
        .regex(/^\d{18,24}$/, 'expected a household code')
        .optional(),
      limit: queryInt(1, 300).default(100),
    }),
  },
  responses: {
    200: json(
      z.object({
        households: z.array(
          z.object({
            code: z.string(),
            cellCode: z.string(),
            address: z.string(),
            workerId: z.string().nullable(),
            workerName: z.string().nullable(),
            surveyedThisYear: z.boolean(),
          }),
        ),
        total: z.number().int(),
        limit: z.number().int(),
        next: z.string().nullable(),
      }),
      'The households',
    ),
    ...errorResponses(400, 401, 403),
  },
});

const commend = createRoute({
  method: 'post',
  path: '/api/workforce/commendations/{year}',
  tags,
  summary:
    'Commend the best grid workers of your scope for a year by the review’s score (优秀网格员; idempotent per year and person)',
  middleware: [requires('review.people')] as const,
  request: {
    params: z.object({ year: queryInt(2000, 2100).openapi({ param: { name: 'year', in: 'path' } }) }),
    ...body(z.object({ top: z.number().int().min(1).max(100).default(10) })),
  },
  responses: {
    200: json(
      z.object({
        year: z.number().int(),
        proposed: z.number().int(),
        recorded: z.number().int(),
        commendations: z.array(CommendationSchema),
      }),
      'Recorded',
    ),
    ...errorResponses(400, 401, 403),
  },
});

const listCommendations = createRoute({
  method: 'get',
  path: '/api/workforce/commendations',
  tags,
  summary: 'Commendations of grid workers in your scope (a year, or every year)',
  middleware: [requires('review.view')] as const,
  request: { query: YearQuery },
  responses: {
    200: json(z.object({ commendations: z.array(CommendationSchema) }), 'The commendations'),
    ...errorResponses(400, 401, 403),
  },
});

/** The people side of the review: grid workers' credentials and trainings, residents' surveys, commendations. */
export function workforceRoutes(service: WorkforceService, surveys: WorkerSurveysService, commendations: CommendationsService) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(listWorkers, async (c) => {
      const year = c.req.valid('query').year ?? service.currentYear();
      return c.json(await service.list(c.get('db'), auditContextOf(c), year), 200);
    })
    .openapi(exportWorkers, async (c) => {
      const year = c.req.valid('query').year ?? service.currentYear();
      const list = await service.list(c.get('db'), auditContextOf(c), year, 'workforce.export');
      const workbook = await workforceXlsx(list, languageOf(c.req.header('Accept-Language')));
      c.header('Content-Disposition', `attachment; filename="grid-workers-${year}.xlsx"`);
      return c.body(new Uint8Array(workbook), 200, { 'Content-Type': XLSX_TYPE });
    })
    .openapi(setCredential, async (c) =>
      c.json(await service.setCredential(c.get('principal')!, c.req.valid('param').id, c.req.valid('json')), 200),
    )
    .openapi(addTraining, async (c) =>
      c.json(await service.addTraining(c.get('principal')!, c.req.valid('param').id, c.req.valid('json')), 201),
    )
    .openapi(surveyHouseholds, async (c) => {
      const { q, after, limit } = c.req.valid('query');
      return c.json(await surveys.households(c.get('db'), auditContextOf(c), { q: q || null, after: after ?? null, limit }), 200);
    })
    .openapi(recordSurvey, async (c) => {
      const result = await surveys.record(c.get('principal')!, c.req.valid('json'));
      return result.created
        ? c.json({ created: true as const, survey: result.survey }, 201)
        : c.json({ created: false as const, survey: result.survey }, 200);
    })
    .openapi(commend, async (c) => {
      const { top } = c.req.valid('json');
      return c.json(await commendations.commend(c.get('principal')!, c.req.valid('param').year, top), 200);
    })
    .openapi(listCommendations, async (c) =>
      c.json(await commendations.list(c.get('db'), c.req.valid('query').year ?? null), 200),
    );
}

function auditContextOf(c: {
  get(key: 'principal'): AppEnv['Variables']['principal'];
  get(key: 'clientIp'): string;
  req: { header(name: string): string | undefined };
}): AuditContext {
  return { principal: c.get('principal')!, ip: c.get('clientIp') || null, userAgent: c.req.header('User-Agent') ?? null };
}
