import { z } from '@hono/zod-openapi';
import { levelOfCode } from '../../geo/area-codes.ts';
import { isoTimeText } from '../openapi.ts';
import {
  DUE_STATUS_CODES,
  RISK_COLOUR_CODES,
  RISK_LEVEL_MAX,
  RISK_LEVEL_MIN,
  SPECIAL_CATEGORY_CODES,
  SUPERVISION_GRADE_CODES,
  VISIT_MODE_CODES,
  VISIT_OUTCOME_CODES,
} from '../vocabulary/special-populations.ts';

/** A day (Asia/Shanghai), YYYY-MM-DD, checked to be a real date. */
export const DaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD')
  .refine((day) => {
    const date = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
  }, 'not a calendar day')
  .openapi({ format: 'date', example: '2026-07-15' });

export const AreaSchema = z
  .string()
  .max(18)
  .refine((code) => levelOfCode(code) !== null, 'expected an area code')
  .openapi({ description: 'A township, village, grid or cell code' });
export const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().default(null);

export const FilterSchema = z.object({
  area: AreaSchema,
  category: z.enum(SPECIAL_CATEGORY_CODES).optional(),
  due: z.enum(DUE_STATUS_CODES).optional(),
  risk: z.enum(RISK_COLOUR_CODES).optional(),
  closed: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true'),
});

export const EntrySchema = z
  .object({
    id: z.string(),
    category: z.enum(SPECIAL_CATEGORY_CODES),
    name: z.string(),
    idNumber: z
      .string()
      .nullable()
      .openapi({ description: 'Masked (first 6 and last 4) except in the detail for the entry’s own scope' }),
    gender: z.string().nullable(),
    birthDate: z.string().nullable(),
    phone: z.string().nullable(),
    householdCode: z.string(),
    address: z.string().nullable(),
    areaCode: z.string(),
    gridName: z.string().nullable(),
    villageName: z.string().nullable(),
    riskLevel: z.number().int().nullable(),
    supervisionGrade: z.string().nullable(),
    releaseDate: z.string().nullable(),
    programmeStart: z.string().nullable(),
    registeredOn: z.string(),
    active: z.boolean(),
    lastVisitAt: isoTimeText().nullable(),
    nextDueOn: z.string().nullable(),
    dueStatus: z.enum(DUE_STATUS_CODES),
    riskColour: z.enum(RISK_COLOUR_CODES),
    version: z.number().int(),
  })
  .openapi('SpecialEntry');

const TenantSchema = z.object({
  name: text(40),
  idNumber: z.string().max(18).nullable().default(null),
  phone: z.string().max(20).nullable().default(null),
  since: DaySchema.nullable().default(null),
});

export const DetailSchema = z
  .object({
    entry: EntrySchema.extend({
      landlordName: z.string().nullable(),
      landlordPhone: z.string().nullable(),
      tenants: z.array(TenantSchema),
      guardianName: z.string().nullable(),
      guardianPhone: z.string().nullable(),
      notes: z.string().nullable(),
      closedOn: z.string().nullable(),
      closedReason: z.string().nullable(),
      updatedAt: isoTimeText(),
    }),
    states: z.array(
      z.object({
        effectiveFrom: isoTimeText(),
        riskLevel: z.number().int().nullable(),
        supervisionGrade: z.string().nullable(),
        reason: z.string().nullable(),
        setByName: z.string(),
      }),
    ),
    visits: z.array(
      z.object({
        id: z.string(),
        visitedAt: isoTimeText(),
        visitorName: z.string(),
        mode: z.enum(VISIT_MODE_CODES),
        outcome: z.enum(VISIT_OUTCOME_CODES),
        notes: z.string().nullable(),
        distanceM: z.number().nullable(),
        patrolId: z.string().nullable(),
      }),
    ),
  })
  .openapi('SpecialEntryDetail');

export const EditSchema = z.object({
  name: text(60),
  idNumber: optionalText(18),
  gender: z.enum(['male', 'female']).nullable().default(null),
  birthDate: DaySchema.nullable().default(null),
  phone: optionalText(20),
  householdCode: text(40),
  releaseDate: DaySchema.nullable().default(null),
  programmeStart: DaySchema.nullable().default(null),
  landlordName: optionalText(40),
  landlordPhone: optionalText(20),
  tenants: z.array(TenantSchema).max(50).nullable().default(null),
  guardianName: optionalText(40),
  guardianPhone: optionalText(20),
  notes: optionalText(500),
});

export const RegisterSchema = EditSchema.extend({
  clientId: z
    .string()
    .min(8)
    .max(64)
    .openapi({ description: 'Chosen by the client: a retry with the same id answers the entry already written' }),
  category: z.enum(SPECIAL_CATEGORY_CODES),
  riskLevel: z.number().int().min(RISK_LEVEL_MIN).max(RISK_LEVEL_MAX).nullable().default(null),
  supervisionGrade: z.enum(SUPERVISION_GRADE_CODES).nullable().default(null),
  registeredOn: DaySchema.optional(),
});

export const RuleVersionSchema = z
  .object({
    id: z.number().int(),
    category: z.enum(SPECIAL_CATEGORY_CODES),
    effectiveFrom: z.string(),
    rule: z.unknown(),
    setByName: z.string(),
    setAt: isoTimeText(),
    current: z.boolean(),
  })
  .openapi('FollowUpRuleVersion');
