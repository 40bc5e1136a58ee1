import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type AnswerContext, checkAnswers, type FormField } from '../../api/vocabulary/task-forms.ts';
import { configQuery } from '../areas/area-queries.ts';
import { FormFields } from './task-fields.tsx';
import { useTaskStrings } from './task-strings.ts';
import { type FormValues, toAnswers, toValues } from './task-values.ts';

/** Where the county's bounds are not known on the phone yet (offline, first run): the server checks them. */
const ANYWHERE: AnswerContext['countyBbox'] = [-180, -90, 180, 90];

/**
 * A collection form filled field by field and checked on the phone with the server's own check
 * (api/vocabulary/task-forms.ts), so the message naming the field is seen before anything is sent.
 * What it hands on goes to the outbox: the answers (photos named by the phone's ids) and the photos.
 */
export function TaskForm({
  fields,
  earlier,
  title,
  onSubmit,
}: {
  fields: FormField[];
  earlier: Record<string, unknown> | undefined;
  title?: string;
  onSubmit: (answers: Record<string, unknown>, photos: Map<string, Blob>) => Promise<void>;
}) {
  const { k, lang } = useTaskStrings();
  const config = useQuery(configQuery());
  const [values, setValues] = useState<FormValues>(() => toValues(fields, earlier));
  const [photos, setPhotos] = useState<Map<string, Blob>>(new Map());
  const [problem, setProblem] = useState<{ path: string; message: string } | null>(null);
  const [sending, setSending] = useState(false);

  const submit = async () => {
    const answers = toAnswers(fields, values);
    const checked = checkAnswers(fields, answers, { countyBbox: config.data?.county.bbox ?? ANYWHERE });
    if (!checked.ok) {
      setProblem({ path: checked.problem.path, message: checked.problem.message[lang] });
      document.querySelector(`[data-path="${checked.problem.path}"]`)?.scrollIntoView({ block: 'center' });
      return;
    }
    setProblem(null);
    setSending(true);
    try {
      const used = new Map([...photos].filter(([id]) => JSON.stringify(checked.value.answers).includes(`"${id}"`)));
      await onSubmit(checked.value.answers, used);
    } finally {
      setSending(false);
    }
  };

  return (
    <form
      className="tf-form"
      data-testid="task-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {title && <h3>{title}</h3>}
      <FormFields
        fields={fields}
        values={values}
        onValues={setValues}
        prefix=""
        photos={photos}
        onPhoto={(id, blob) => setPhotos((held) => new Map(held).set(id, blob))}
        problemPath={problem?.path ?? null}
        problem={problem?.message ?? null}
      />
      {problem && (
        <p className="tf-problem tf-summary" role="alert" data-testid="task-form-problem">
          {problem.message}
        </p>
      )}
      <button type="submit" className="button primary tf-submit" disabled={sending} data-testid="task-submit">
        {earlier ? k.resubmit : k.submit}
      </button>
    </form>
  );
}
