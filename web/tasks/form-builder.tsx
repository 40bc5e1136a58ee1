import type { FieldType } from '../../api/vocabulary/task-forms.ts';
import { FIELD_TYPES } from '../../api/vocabulary/task-forms.ts';
import type { DraftField } from './form-draft.ts';
import { moved, newField, vehiclesExample } from './form-draft.ts';
import { useTasksStrings } from './tasks-strings.ts';
import './form-builder.css';

const TYPES = Object.keys(FIELD_TYPES) as FieldType[];

interface FieldListProps {
  fields: readonly DraftField[];
  onChange: (fields: DraftField[]) => void;
  /** Inside a list: no list among the types offered. */
  nested?: boolean;
  /** The test id's prefix of each row: `form-field-0`, `form-field-0-sub-1`. */
  testPrefix: string;
}

/**
 * The collection form's builder: fields added, ordered and removed, each with its label, key,
 * type, required flag and its type's settings; a list field holds its own sub-fields one level deep.
 */
export function FormBuilder({ fields, onChange }: { fields: readonly DraftField[]; onChange: (fields: DraftField[]) => void }) {
  const { s } = useTasksStrings();
  return (
    <fieldset className="form-builder" data-testid="form-builder">
      <legend>{s.form}</legend>
      <FieldList fields={fields} onChange={onChange} testPrefix="form-field" />
      <div className="form-builder-actions">
        <button
          type="button"
          className="button small"
          onClick={() => onChange([...fields, newField(fields)])}
          data-testid="add-field"
        >
          {s.addField}
        </button>
        <button type="button" className="button small" onClick={() => onChange([...fields, vehiclesExample(fields)])}>
          {s.vehiclesExample}
        </button>
      </div>
    </fieldset>
  );
}

function FieldList({ fields, onChange, nested = false, testPrefix }: FieldListProps) {
  const { s } = useTasksStrings();
  if (fields.length === 0) return <p className="muted form-builder-empty">{s.noFields}</p>;
  const set = (index: number, field: DraftField) => onChange(fields.map((candidate, at) => (at === index ? field : candidate)));
  return (
    <ol className={nested ? 'form-fields nested' : 'form-fields'}>
      {fields.map((field, index) => (
        <li key={field.uid} className="form-field" data-testid={`${testPrefix}-${index}`}>
          <FieldRow
            field={field}
            nested={nested}
            testPrefix={`${testPrefix}-${index}`}
            onChange={(next) => set(index, next)}
            onMove={(step) => onChange(moved(fields, index, step))}
            onRemove={() => onChange(fields.filter((_, at) => at !== index))}
            first={index === 0}
            last={index === fields.length - 1}
          />
        </li>
      ))}
    </ol>
  );
}

interface FieldRowProps {
  field: DraftField;
  nested: boolean;
  testPrefix: string;
  first: boolean;
  last: boolean;
  onChange: (field: DraftField) => void;
  onMove: (step: -1 | 1) => void;
  onRemove: () => void;
}

function FieldRow({ field, nested, testPrefix, first, last, onChange, onMove, onRemove }: FieldRowProps) {
  const { s, lang } = useTasksStrings();
  const set = (change: Partial<DraftField>) => onChange({ ...field, ...change });
  const types = nested ? TYPES.filter((type) => type !== 'list') : TYPES;
  return (
    <div className="form-field-body">
      <div className="form-field-main">
        <label className="mini-field grow">
          <span>{s.fieldLabel}</span>
          <input
            className="input"
            value={field.label}
            onChange={(event) => set({ label: event.target.value })}
            data-testid="field-label"
          />
        </label>
        <label className="mini-field">
          <span>{s.fieldKey}</span>
          <input
            className="input key-input"
            value={field.key}
            onChange={(event) => set({ key: event.target.value })}
            data-testid="field-key"
          />
        </label>
        <label className="mini-field">
          <span>{s.fieldType}</span>
          <select
            className="input"
            value={field.type}
            onChange={(event) => set({ type: event.target.value as FieldType })}
            data-testid="field-type"
          >
            {types.map((type) => (
              <option key={type} value={type}>
                {FIELD_TYPES[type][lang]}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={field.required} onChange={(event) => set({ required: event.target.checked })} />
          {s.required}
        </label>
        <div className="form-field-order">
          <button type="button" className="button small" disabled={first} onClick={() => onMove(-1)} aria-label={s.moveUp}>
            ↑
          </button>
          <button type="button" className="button small" disabled={last} onClick={() => onMove(1)} aria-label={s.moveDown}>
            ↓
          </button>
          <button type="button" className="button small danger" onClick={onRemove}>
            {s.remove}
          </button>
        </div>
      </div>
      <TypeSettings field={field} set={set} />
      {field.type === 'list' && (
        <div className="form-sub-fields">
          <span className="muted">{s.subFields}</span>
          <FieldList fields={field.fields} nested testPrefix={`${testPrefix}-sub`} onChange={(fields) => set({ fields })} />
          <button
            type="button"
            className="button small"
            onClick={() => set({ fields: [...field.fields, newField(field.fields)] })}
            data-testid="add-sub-field"
          >
            {s.addSubField}
          </button>
        </div>
      )}
    </div>
  );
}

function TypeSettings({ field, set }: { field: DraftField; set: (change: Partial<DraftField>) => void }) {
  const { s } = useTasksStrings();
  const small = (label: string, value: string, key: 'maxLength' | 'unit' | 'min' | 'max' | 'minItems' | 'maxItems') => (
    <label className="mini-field">
      <span>{label}</span>
      <input
        className="input narrow"
        value={value}
        onChange={(event) => set({ [key]: event.target.value })}
        data-testid={`field-${key}`}
      />
    </label>
  );
  switch (field.type) {
    case 'text':
      return <div className="form-field-settings">{small(s.maxLength, field.maxLength, 'maxLength')}</div>;
    case 'number':
      return (
        <div className="form-field-settings">
          {small(s.unit, field.unit, 'unit')}
          {small(s.min, field.min, 'min')}
          {small(s.max, field.max, 'max')}
          <label className="checkbox">
            <input type="checkbox" checked={field.integer} onChange={(event) => set({ integer: event.target.checked })} />
            {s.integer}
          </label>
        </div>
      );
    case 'choice':
      return (
        <div className="form-field-settings">
          <label className="mini-field grow">
            <span>{s.options}</span>
            <textarea
              className="input"
              rows={3}
              value={field.options}
              onChange={(event) => set({ options: event.target.value })}
              data-testid="field-options"
            />
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={field.multiple} onChange={(event) => set({ multiple: event.target.checked })} />
            {s.multiple}
          </label>
        </div>
      );
    case 'list':
      return (
        <div className="form-field-settings">
          {small(s.minItems, field.minItems, 'minItems')}
          {small(s.maxItems, field.maxItems, 'maxItems')}
        </div>
      );
    default:
      return null;
  }
}
