import { useEffect, useState } from 'react';
import type { FormField, FormLocation, ScalarField } from '../../api/vocabulary/task-forms.ts';
import { toWgs84 } from '../../geo/convert-datum.ts';
import { fill } from '../i18n.ts';
import { resizePhoto } from './photos.ts';
import { PlacePicker } from './place-picker.tsx';
import { type CoordinateEntry, EMPTY_DRAFT, type ReportPlace } from './report-draft.ts';
import { useTaskStrings } from './task-strings.ts';
import type { FormValues } from './task-values.ts';

/** The photos taken for the form, by the id the values name them with. */
type PhotoBlobs = ReadonlyMap<string, Blob>;

interface FieldProps<Field> {
  field: Field;
  value: unknown;
  onChange: (value: unknown) => void;
  photos: PhotoBlobs;
  onPhoto: (id: string, blob: Blob) => void;
  /** The key path (`vehicles.0.plate`), for the problem shown beside it. */
  path: string;
  problemPath: string | null;
  problem: string | null;
}

function NumberInput({ field, value, onChange }: FieldProps<Extract<ScalarField, { type: 'number' }>>) {
  const { k } = useTaskStrings();
  const bounds =
    field.min !== undefined && field.max !== undefined
      ? fill(k.range, { min: field.min, max: field.max })
      : field.min !== undefined
        ? fill(k.min, { min: field.min })
        : field.max !== undefined
          ? fill(k.max, { max: field.max })
          : '';
  return (
    <span className="tf-number">
      <input
        type="text"
        inputMode={field.integer ? 'numeric' : 'decimal'}
        value={typeof value === 'string' ? value : ''}
        onChange={(event) => onChange(event.target.value)}
        placeholder={bounds}
      />
      {field.unit && <span className="tf-unit">{field.unit}</span>}
    </span>
  );
}

function ChoiceInput({ field, value, onChange }: FieldProps<Extract<ScalarField, { type: 'choice' }>>) {
  const { k } = useTaskStrings();
  if (field.multiple) {
    const chosen = Array.isArray(value) ? (value as string[]) : [];
    return (
      <span className="tf-options">
        {field.options.map((option) => (
          <label key={option} className="tf-option" data-chosen={chosen.includes(option)}>
            <input
              type="checkbox"
              checked={chosen.includes(option)}
              onChange={(event) =>
                onChange(event.target.checked ? [...chosen, option] : chosen.filter((kept) => kept !== option))
              }
            />
            {option}
          </label>
        ))}
      </span>
    );
  }
  if (field.options.length <= 5) {
    return (
      <span className="tf-options">
        {field.options.map((option) => (
          <button
            key={option}
            type="button"
            className="tf-option"
            aria-pressed={value === option}
            onClick={() => onChange(option)}
          >
            {option}
          </button>
        ))}
      </span>
    );
  }
  return (
    <select value={typeof value === 'string' ? value : ''} onChange={(event) => onChange(event.target.value)}>
      <option value="">{k.chooseOne}</option>
      {field.options.map((option) => (
        <option key={option}>{option}</option>
      ))}
    </select>
  );
}

function PhotoInput({ value, onChange, photos, onPhoto }: FieldProps<ScalarField>) {
  const { k } = useTaskStrings();
  const [reading, setReading] = useState(false);
  const [failed, setFailed] = useState(false);
  const blob = typeof value === 'string' ? photos.get(value) : undefined;
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) return setUrl(null);
    const made = URL.createObjectURL(blob);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [blob]);
  const take = async (file: File | undefined) => {
    if (!file) return;
    setReading(true);
    setFailed(false);
    try {
      const photo = await resizePhoto(file);
      onPhoto(photo.id, photo.blob);
      onChange(photo.id);
    } catch {
      setFailed(true);
    } finally {
      setReading(false);
    }
  };
  return (
    <span className="tf-photo">
      {url && <img src={url} alt="" />}
      {typeof value === 'string' && value !== '' && !blob && <span className="tf-photo-kept">✓</span>}
      {value ? (
        <button type="button" className="button" onClick={() => onChange(undefined)}>
          {k.removePhoto}
        </button>
      ) : (
        <>
          <label className="button">
            {k.takePhoto}
            <input
              type="file"
              accept="image/*"
              capture="environment"
              hidden
              onChange={(event) => void take(event.target.files?.[0])}
            />
          </label>
          <label className="button">
            {k.choosePhoto}
            <input type="file" accept="image/*" hidden onChange={(event) => void take(event.target.files?.[0])} />
          </label>
        </>
      )}
      {reading && <small>{k.photoReading}</small>}
      {failed && <small className="tf-problem">{k.photoUnreadable}</small>}
    </span>
  );
}

function LocationInput({ value, onChange }: FieldProps<ScalarField>) {
  const { k } = useTaskStrings();
  const [place, setPlace] = useState<ReportPlace | null>(null);
  const [coordinates, setCoordinates] = useState<CoordinateEntry>(EMPTY_DRAFT.coordinates);
  const location = value as FormLocation | undefined;
  return (
    <span className="tf-location">
      <PlacePicker
        place={place}
        onPlace={(next) => {
          setPlace(next);
          if (!next) return onChange(undefined);
          const [lon, lat] = toWgs84(next.position, next.datum);
          onChange({ lon: Math.round(lon * 1e6) / 1e6, lat: Math.round(lat * 1e6) / 1e6 });
        }}
        coordinates={coordinates}
        onCoordinates={setCoordinates}
      />
      {location && !place && <small>{fill(k.locationSet, { lon: location.lon, lat: location.lat })}</small>}
    </span>
  );
}

function ScalarInput(props: FieldProps<ScalarField>) {
  const { field, value, onChange } = props;
  switch (field.type) {
    case 'text':
      return (field.maxLength ?? 500) > 100 ? (
        <textarea
          rows={2}
          value={typeof value === 'string' ? value : ''}
          maxLength={field.maxLength ?? 500}
          onChange={(event) => onChange(event.target.value)}
        />
      ) : (
        <input
          type="text"
          value={typeof value === 'string' ? value : ''}
          maxLength={field.maxLength}
          onChange={(event) => onChange(event.target.value)}
        />
      );
    case 'number':
      return <NumberInput {...props} field={field} />;
    case 'choice':
      return <ChoiceInput {...props} field={field} />;
    case 'date':
      return (
        <input type="date" value={typeof value === 'string' ? value : ''} onChange={(event) => onChange(event.target.value)} />
      );
    case 'photo':
      return <PhotoInput {...props} />;
    case 'location':
      return <LocationInput {...props} />;
  }
}

function ListInput({ field, value, onChange, path, ...rest }: FieldProps<Extract<FormField, { type: 'list' }>>) {
  const { k } = useTaskStrings();
  const items = Array.isArray(value) ? (value as FormValues[]) : [];
  const max = field.maxItems ?? 50;
  return (
    <div className="tf-list" data-testid={`task-list-${field.key}`}>
      {items.length === 0 && <p className="tf-hint">{k.noItems}</p>}
      {items.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the items have no identity but their place.
        <fieldset key={index} className="tf-item" data-testid="task-list-item">
          <legend>
            {fill(k.itemN, { n: index + 1 })}
            <button type="button" className="tf-remove" onClick={() => onChange(items.filter((_, at) => at !== index))}>
              {k.removeItem}
            </button>
          </legend>
          <FormFields
            fields={field.fields}
            values={item}
            onValues={(next) => onChange(items.map((kept, at) => (at === index ? next : kept)))}
            prefix={`${path}.${index}.`}
            {...rest}
          />
        </fieldset>
      ))}
      {items.length < max && (
        <button type="button" className="button tf-add" onClick={() => onChange([...items, {}])} data-testid="task-list-add">
          + {k.addItem}
        </button>
      )}
    </div>
  );
}

/** The fields of a form (or of one list item), each with its label, its input, and the problem found at it. */
export function FormFields({
  fields,
  values,
  onValues,
  prefix,
  photos,
  onPhoto,
  problemPath,
  problem,
}: {
  fields: readonly (FormField | ScalarField)[];
  values: FormValues;
  onValues: (values: FormValues) => void;
  prefix: string;
  photos: PhotoBlobs;
  onPhoto: (id: string, blob: Blob) => void;
  problemPath: string | null;
  problem: string | null;
}) {
  const { k } = useTaskStrings();
  return fields.map((field) => {
    const path = prefix + field.key;
    const props = {
      value: values[field.key],
      onChange: (value: unknown) => onValues({ ...values, [field.key]: value }),
      photos,
      onPhoto,
      path,
      problemPath,
      problem,
    };
    const here = problemPath === path || (problemPath?.startsWith(`${path}.`) === true && field.type !== 'list');
    return (
      <div
        key={field.key}
        className="tf-field"
        data-type={field.type}
        data-path={path}
        data-problem={here}
        data-testid={`task-field-${path}`}
      >
        <span className="tf-label">
          {field.label}
          <small>{field.required ? k.required : k.optional}</small>
        </span>
        {field.type === 'list' ? <ListInput {...props} field={field} /> : <ScalarInput {...props} field={field} />}
        {here && problem && (
          <small className="tf-problem" role="alert">
            {problem}
          </small>
        )}
      </div>
    );
  });
}
