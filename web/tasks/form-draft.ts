import type { FieldType, FormField, FormResult } from '../../api/vocabulary/task-forms.ts';
import { parseForm } from '../../api/vocabulary/task-forms.ts';

/**
 * A field as the form builder edits it: every setting of every type kept as typed (numbers as the
 * text of their inputs), so switching a field's type and back loses nothing. `toForm` makes the
 * FormField[] the server takes, and `checkDraft` checks it with the server's own schema.
 */
export interface DraftField {
  /** React's key for the row; never sent. */
  uid: number;
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  maxLength: string;
  unit: string;
  min: string;
  max: string;
  integer: boolean;
  /** One option a line. */
  options: string;
  multiple: boolean;
  minItems: string;
  maxItems: string;
  /** A list's sub-fields (never a list among them). */
  fields: DraftField[];
}

let lastUid = 0;

/** A new field at a level, keyed `field_n` with the first n not taken there. */
export function newField(siblings: readonly DraftField[], type: FieldType = 'text', label = ''): DraftField {
  const taken = new Set(siblings.map((field) => field.key));
  let n = siblings.length + 1;
  while (taken.has(`field_${n}`)) n++;
  lastUid += 1;
  return {
    uid: lastUid,
    key: `field_${n}`,
    label,
    type,
    required: false,
    maxLength: '',
    unit: '',
    min: '',
    max: '',
    integer: false,
    options: '',
    multiple: false,
    minItems: '',
    maxItems: '',
    fields: [],
  };
}

const numberOf = (text: string): number | undefined => {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  // A text that is no number is passed on as NaN, which the schema refuses, naming the field.
  return value;
};

function toField(draft: DraftField): FormField {
  const base = { key: draft.key.trim(), label: draft.label.trim(), required: draft.required };
  switch (draft.type) {
    case 'text': {
      const maxLength = numberOf(draft.maxLength);
      return { ...base, type: 'text', ...(maxLength !== undefined ? { maxLength } : {}) };
    }
    case 'number': {
      const min = numberOf(draft.min);
      const max = numberOf(draft.max);
      const unit = draft.unit.trim();
      return {
        ...base,
        type: 'number',
        ...(min !== undefined ? { min } : {}),
        ...(max !== undefined ? { max } : {}),
        ...(draft.integer ? { integer: true } : {}),
        ...(unit ? { unit } : {}),
      };
    }
    case 'choice': {
      const options = draft.options
        .split('\n')
        .map((option) => option.trim())
        .filter((option) => option !== '');
      return { ...base, type: 'choice', options, ...(draft.multiple ? { multiple: true } : {}) };
    }
    case 'list': {
      const minItems = numberOf(draft.minItems);
      const maxItems = numberOf(draft.maxItems);
      return {
        ...base,
        type: 'list',
        fields: draft.fields.map(toField) as Extract<FormField, { type: 'list' }>['fields'],
        ...(minItems !== undefined ? { minItems } : {}),
        ...(maxItems !== undefined ? { maxItems } : {}),
      };
    }
    default:
      return { ...base, type: draft.type };
  }
}

/** The form as the API takes it. */
export function toForm(drafts: readonly DraftField[]): FormField[] {
  return drafts.map(toField);
}

/** The form checked in the browser with the server's schema (api/vocabulary/task-forms.ts): the same message for the same mistake. */
export function checkDraft(drafts: readonly DraftField[]): FormResult<FormField[]> {
  return parseForm(toForm(drafts));
}

/** The study's example (王坪村's rural vehicles): a repeating list of plate, kind and seats. */
export function vehiclesExample(siblings: readonly DraftField[]): DraftField {
  const list = { ...newField(siblings, 'list', '车辆'), key: 'vehicles', required: true };
  const plate = { ...newField([], 'text', '车牌号'), key: 'plate', required: true, maxLength: '20' };
  const kind = { ...newField([plate], 'choice', '车型'), key: 'kind', required: true, options: '摩托车\n三轮车\n小型客车\n货车' };
  const seats = { ...newField([plate, kind], 'number', '座位数'), key: 'seats', integer: true, min: '1', max: '60', unit: '座' };
  return { ...list, fields: [plate, kind, seats] };
}

/** Moves the item at `index` by `step` (−1 up, +1 down); the same array when it cannot move. */
export function moved<T>(items: readonly T[], index: number, step: -1 | 1): T[] {
  const target = index + step;
  if (target < 0 || target >= items.length) return [...items];
  const next = [...items];
  [next[index], next[target]] = [next[target] as T, next[index] as T];
  return next;
}
