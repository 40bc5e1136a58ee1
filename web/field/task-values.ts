import type { FormField, ScalarField } from '../../api/vocabulary/task-forms.ts';

/**
 * A form as it is being filled: values keyed by field key, as typed (a number is kept as its text
 * until sent, a photo as the id of a blob the phone holds, a list as an array of such objects).
 */
export type FormValues = Record<string, unknown>;

/** The answer as the server wants it: numbers as numbers, empty entries left out. */
export function toAnswers(fields: readonly (FormField | ScalarField)[], values: FormValues): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.key];
    if (value === undefined || value === '' || value === null) continue;
    if (field.type === 'number')
      answers[field.key] =
        typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
    else if (field.type === 'list' && Array.isArray(value))
      answers[field.key] = value.map((item) => toAnswers(field.fields, item as FormValues));
    else answers[field.key] = value;
  }
  return answers;
}

/** The values to start from: an earlier answer (numbers back to text), or nothing. */
export function toValues(fields: readonly (FormField | ScalarField)[], answers: Record<string, unknown> | undefined): FormValues {
  const values: FormValues = {};
  if (!answers) return values;
  for (const field of fields) {
    const answer = answers[field.key];
    if (answer === undefined) continue;
    if (field.type === 'number') values[field.key] = String(answer);
    else if (field.type === 'list' && Array.isArray(answer))
      values[field.key] = answer.map((item) => toValues(field.fields, item as Record<string, unknown>));
    else values[field.key] = answer;
  }
  return values;
}
