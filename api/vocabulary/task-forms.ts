import * as z from 'zod/mini';
import type { Label } from './label.ts';

/**
 * The collection forms of tasks (信息采集表单): a form is an ordered list of typed fields, and an
 * answer is an object keyed by field key. The server checks every answer here (api/tasks); the
 * command center's form builder and the field page's filler use the same module, so both say the
 * same thing about the same mistake.
 */

/** The field types, as the form builder lists them. */
export const FIELD_TYPES = {
  text: { zh: '文本', en: 'Text' },
  number: { zh: '数字', en: 'Number' },
  choice: { zh: '选择', en: 'Choice' },
  date: { zh: '日期', en: 'Date' },
  photo: { zh: '照片', en: 'Photo' },
  location: { zh: '位置', en: 'Location' },
  list: { zh: '多条记录（列表）', en: 'Repeating list' },
} as const satisfies Record<string, Label>;
export type FieldType = keyof typeof FIELD_TYPES;

export const FORM_LIMITS = {
  maxFields: 30,
  maxLabel: 60,
  textMaxLength: 2000,
  textDefaultMaxLength: 500,
  minOptions: 2,
  maxOptions: 30,
  listMaxItems: 100,
  listDefaultMaxItems: 50,
} as const;

const KEY_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

const base = {
  key: z.string().check(z.regex(KEY_PATTERN)),
  label: z.string().check(z.minLength(1), z.maxLength(FORM_LIMITS.maxLabel)),
  required: z.boolean(),
};

const TextFieldSchema = z.object({
  ...base,
  type: z.literal('text'),
  maxLength: z.optional(z.int().check(z.minimum(1), z.maximum(FORM_LIMITS.textMaxLength))),
});
const NumberFieldSchema = z.object({
  ...base,
  type: z.literal('number'),
  min: z.optional(z.number()),
  max: z.optional(z.number()),
  integer: z.optional(z.boolean()),
  unit: z.optional(z.string().check(z.maxLength(20))),
});
const ChoiceFieldSchema = z.object({
  ...base,
  type: z.literal('choice'),
  options: z
    .array(z.string().check(z.minLength(1), z.maxLength(FORM_LIMITS.maxLabel)))
    .check(z.minLength(FORM_LIMITS.minOptions), z.maxLength(FORM_LIMITS.maxOptions)),
  multiple: z.optional(z.boolean()),
});
const DateFieldSchema = z.object({ ...base, type: z.literal('date') });
const PhotoFieldSchema = z.object({ ...base, type: z.literal('photo') });
const LocationFieldSchema = z.object({ ...base, type: z.literal('location') });

const ScalarFieldSchema = z.discriminatedUnion('type', [
  TextFieldSchema,
  NumberFieldSchema,
  ChoiceFieldSchema,
  DateFieldSchema,
  PhotoFieldSchema,
  LocationFieldSchema,
]);
export type ScalarField = z.infer<typeof ScalarFieldSchema>;

const ListFieldSchema = z.object({
  ...base,
  type: z.literal('list'),
  /** The fields of one item (no list inside a list). */
  fields: z.array(ScalarFieldSchema).check(z.minLength(1), z.maxLength(FORM_LIMITS.maxFields)),
  minItems: z.optional(z.int().check(z.minimum(0), z.maximum(FORM_LIMITS.listMaxItems))),
  maxItems: z.optional(z.int().check(z.minimum(1), z.maximum(FORM_LIMITS.listMaxItems))),
});

/** One field of a form: its key (unique at its level), its label, its type and the type's settings. */
export const FormFieldSchema = z.discriminatedUnion('type', [
  TextFieldSchema,
  NumberFieldSchema,
  ChoiceFieldSchema,
  DateFieldSchema,
  PhotoFieldSchema,
  LocationFieldSchema,
  ListFieldSchema,
]);
export type FormField = z.infer<typeof FormFieldSchema>;

/** A place: longitude and latitude in WGS84 degrees. */
export interface FormLocation {
  lon: number;
  lat: number;
}

/** What is wrong with a form or an answer: a message naming the field (by its label). */
export interface FormProblem {
  /** The field's key path, e.g. `vehicles.2.plate`; '' for the whole. */
  path: string;
  message: Label;
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; problem: FormProblem };

const fail = (path: string, zh: string, en: string): { ok: false; problem: FormProblem } => ({
  ok: false,
  problem: { path, message: { zh, en } },
});

/** A field's own problems beyond its shape: keys repeated at one level, options repeated, bounds crossed. */
function fieldProblem(fields: readonly (FormField | ScalarField)[], prefix: string): FormProblem | null {
  const keys = new Set<string>();
  for (const field of fields) {
    const path = prefix + field.key;
    if (keys.has(field.key))
      return { path, message: { zh: `字段标识「${field.key}」重复`, en: `Field key "${field.key}" repeats` } };
    keys.add(field.key);
    const named = `「${field.label}」`;
    if (field.type === 'number' && field.min !== undefined && field.max !== undefined && field.min > field.max)
      return { path, message: { zh: `${named}的最小值大于最大值`, en: `"${field.label}": min is above max` } };
    if (field.type === 'choice' && new Set(field.options).size !== field.options.length)
      return { path, message: { zh: `${named}的选项有重复`, en: `"${field.label}": options repeat` } };
    if (field.type === 'list') {
      if ((field.minItems ?? 0) > (field.maxItems ?? FORM_LIMITS.listDefaultMaxItems))
        return { path, message: { zh: `${named}的最少条数大于最多条数`, en: `"${field.label}": minItems is above maxItems` } };
      const inner = fieldProblem(field.fields, `${path}.`);
      if (inner) return inner;
    }
  }
  return null;
}

/** Checks a form as dispatched: 1–30 fields of the types above, keys unique at each level. */
export function parseForm(input: unknown): FormResult<FormField[]> {
  if (!Array.isArray(input) || input.length === 0 || input.length > FORM_LIMITS.maxFields)
    return fail('', `表单应有 1–${FORM_LIMITS.maxFields} 个字段`, `A form has 1–${FORM_LIMITS.maxFields} fields`);
  const fields: FormField[] = [];
  for (const [index, raw] of input.entries()) {
    const parsed = FormFieldSchema.safeParse(raw);
    if (!parsed.success) {
      const label = typeof raw === 'object' && raw !== null && 'label' in raw && typeof raw.label === 'string' ? raw.label : '';
      const where = label ? `「${label}」` : `第 ${index + 1} 个字段`;
      const issue = parsed.error.issues[0];
      const at = issue ? issue.path.join('.') : '';
      return fail(
        String(index),
        `${where}的设置不正确（${at || '类型'}）`,
        `Field ${index + 1} is not a valid field (${at || 'type'})`,
      );
    }
    fields.push(parsed.data);
  }
  const problem = fieldProblem(fields, '');
  return problem ? { ok: false, problem } : { ok: true, value: fields };
}

/** What an answer check needs besides the form: the county's extent, [minLon, minLat, maxLon, maxLat] WGS84. */
export interface AnswerContext {
  countyBbox: readonly [number, number, number, number];
}

/** Checked answers, and the photo ids they name (the server checks those belong to the task and target). */
export interface CheckedAnswers {
  answers: Record<string, unknown>;
  photoIds: { path: string; label: string; id: string }[];
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A real calendar day written YYYY-MM-DD. */
function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

const isEmpty = (value: unknown) =>
  value === undefined ||
  value === null ||
  (typeof value === 'string' && value.trim() === '') ||
  (Array.isArray(value) && value.length === 0);

type ValueResult = { ok: true; value: unknown } | { ok: false; problem: FormProblem };

function checkScalar(
  field: ScalarField,
  value: unknown,
  path: string,
  named: string,
  context: AnswerContext,
  photos: CheckedAnswers['photoIds'],
): ValueResult {
  switch (field.type) {
    case 'text': {
      const max = field.maxLength ?? FORM_LIMITS.textDefaultMaxLength;
      if (typeof value !== 'string') return fail(path, `${named}应为文字`, `${named} must be text`);
      if (value.length > max) return fail(path, `${named}不能超过 ${max} 个字`, `${named} is longer than ${max} characters`);
      return { ok: true, value };
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return fail(path, `${named}应为数字`, `${named} must be a number`);
      if (field.integer && !Number.isInteger(value)) return fail(path, `${named}应为整数`, `${named} must be a whole number`);
      if (field.min !== undefined && value < field.min)
        return fail(path, `${named}不能小于 ${field.min}`, `${named} is below ${field.min}`);
      if (field.max !== undefined && value > field.max)
        return fail(path, `${named}不能大于 ${field.max}`, `${named} is above ${field.max}`);
      return { ok: true, value };
    }
    case 'choice': {
      if (field.multiple) {
        if (!Array.isArray(value) || !value.every((option) => typeof option === 'string'))
          return fail(path, `${named}应为选项列表`, `${named} must be a list of options`);
        const unknown = value.find((option) => !field.options.includes(option));
        if (unknown !== undefined) return fail(path, `${named}没有「${unknown}」这个选项`, `${named} has no option "${unknown}"`);
        if (new Set(value).size !== value.length) return fail(path, `${named}的选项重复`, `${named} repeats an option`);
        return { ok: true, value };
      }
      if (typeof value !== 'string') return fail(path, `${named}应为一个选项`, `${named} must be one option`);
      if (!field.options.includes(value))
        return fail(path, `${named}没有「${value}」这个选项`, `${named} has no option "${value}"`);
      return { ok: true, value };
    }
    case 'date':
      if (typeof value !== 'string' || !isCalendarDay(value))
        return fail(path, `${named}应为有效日期（YYYY-MM-DD）`, `${named} must be a real date (YYYY-MM-DD)`);
      return { ok: true, value };
    case 'photo':
      if (typeof value !== 'string' || value.length === 0 || value.length > 100)
        return fail(path, `${named}应为已上传照片的编号`, `${named} must be the id of an uploaded photo`);
      photos.push({ path, label: field.label, id: value });
      return { ok: true, value };
    case 'location': {
      if (
        !isPlainObject(value) ||
        typeof value.lon !== 'number' ||
        typeof value.lat !== 'number' ||
        Object.keys(value).length !== 2
      )
        return fail(path, `${named}应为经纬度 { lon, lat }`, `${named} must be { lon, lat }`);
      const [minLon, minLat, maxLon, maxLat] = context.countyBbox;
      if (!(value.lon >= minLon && value.lon <= maxLon && value.lat >= minLat && value.lat <= maxLat))
        return fail(path, `${named}不在本县范围内`, `${named} lies outside the county`);
      return { ok: true, value: { lon: value.lon, lat: value.lat } };
    }
  }
}

function checkObject(
  fields: readonly (FormField | ScalarField)[],
  answers: unknown,
  prefix: string,
  labelPrefix: string,
  context: AnswerContext,
  photos: CheckedAnswers['photoIds'],
): { ok: true; value: Record<string, unknown> } | { ok: false; problem: FormProblem } {
  if (!isPlainObject(answers))
    return fail(prefix, `${labelPrefix || '答案'}应为按字段填写的对象`, 'Answers must be an object keyed by field');
  const byKey = new Map(fields.map((field) => [field.key, field]));
  const unknownKey = Object.keys(answers).find((key) => !byKey.has(key));
  if (unknownKey !== undefined)
    return fail(prefix + unknownKey, `${labelPrefix}表单中没有字段「${unknownKey}」`, `The form has no field "${unknownKey}"`);
  const value: Record<string, unknown> = {};
  for (const field of fields) {
    const path = prefix + field.key;
    const named = `${labelPrefix}「${field.label}」`;
    const raw = answers[field.key];
    const missing = field.type === 'list' ? raw === undefined || raw === null : isEmpty(raw);
    if (missing) {
      if (field.required) return fail(path, `${named}为必填项`, `${named} is required`);
      continue;
    }
    if (field.type === 'list') {
      if (!Array.isArray(raw)) return fail(path, `${named}应为列表`, `${named} must be a list`);
      const min = Math.max(field.minItems ?? 0, field.required ? 1 : 0);
      const max = field.maxItems ?? FORM_LIMITS.listDefaultMaxItems;
      if (raw.length < min) return fail(path, `${named}至少填写 ${min} 条`, `${named} needs at least ${min} items`);
      if (raw.length > max) return fail(path, `${named}最多填写 ${max} 条`, `${named} takes at most ${max} items`);
      const items: Record<string, unknown>[] = [];
      for (const [index, item] of raw.entries()) {
        const checked = checkObject(field.fields, item, `${path}.${index}.`, `${named}第 ${index + 1} 条的`, context, photos);
        if (!checked.ok) return checked;
        items.push(checked.value);
      }
      value[field.key] = items;
      continue;
    }
    const checked = checkScalar(field, raw, path, named, context, photos);
    if (!checked.ok) return checked;
    value[field.key] = checked.value;
  }
  return { ok: true, value };
}

/**
 * Checks `answers` against the form: every key a field of it, every value of its field's type,
 * every required field filled (an empty text or list counts as missing). Empty optional answers
 * are left out of the result. The first problem found is returned, naming the field by its label.
 */
export function checkAnswers(fields: readonly FormField[], answers: unknown, context: AnswerContext): FormResult<CheckedAnswers> {
  const photoIds: CheckedAnswers['photoIds'] = [];
  const checked = checkObject(fields, answers, '', '', context, photoIds);
  return checked.ok ? { ok: true, value: { answers: checked.value, photoIds } } : checked;
}

/** The first location answer of a form (top level), for the results map; null when there is none. */
export function firstLocation(fields: readonly FormField[], answers: Record<string, unknown>): FormLocation | null {
  for (const field of fields) {
    const value = answers[field.key];
    if (field.type === 'location' && isPlainObject(value)) return { lon: Number(value.lon), lat: Number(value.lat) };
  }
  return null;
}
