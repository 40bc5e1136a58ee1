import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { SPECIAL_CATEGORIES, SPECIAL_CATEGORY_CODES, type SpecialCategory } from '../../api/vocabulary/special-populations.ts';
import { levelOfCode } from '../../geo/area-codes.ts';
import { useSession } from '../auth/session.ts';
import { handleError, showNotice } from '../handle-error.ts';
import { fill, formatDateTime } from '../i18n.ts';
import { rulesQuery, setRule } from './register-api.ts';
import { useRegisterStrings } from './register-strings.ts';

/** Today in Asia/Shanghai, YYYY-MM-DD. */
const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * The follow-up rules per category: the version in force and the others (newest first), and for the
 * county (special.rules, county scope) an editor that publishes a version from a day, as JSON in the
 * category's shape (the server checks it and names what is wrong).
 */
export function RulesPanel() {
  const { lang, s } = useRegisterStrings();
  const { me, can } = useSession();
  const queryClient = useQueryClient();
  const { data } = useQuery(rulesQuery());
  // Not before the rules have come: the editor starts from the version in force, and opened
  // earlier it started from {} and stayed so (CI clicked it that early once).
  const editable = can('special.rules') && levelOfCode(me.scopeCode) === 'county' && data !== undefined;
  const [editing, setEditing] = useState<SpecialCategory | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>, category: SpecialCategory) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      const rule = JSON.parse(String(form.get('rule') ?? '{}')) as Record<string, unknown>;
      const answer = await setRule(category, { effectiveFrom: String(form.get('effectiveFrom')), rule });
      showNotice(fill(s.ruleSaved, { n: answer.recomputed }));
      setEditing(null);
      await queryClient.invalidateQueries({ queryKey: ['special'] });
    } catch (error) {
      handleError(error);
    }
  };

  return (
    <section className="special-rules" aria-label={s.rules} data-testid="special-rules">
      <h3>{s.rules}</h3>
      <p className="special-note">{s.rulesNote}</p>
      {SPECIAL_CATEGORY_CODES.map((category) => {
        const versions = (data?.versions ?? []).filter((version) => version.category === category);
        const current = versions.find((version) => version.current);
        return (
          <article key={category} className="special-rule">
            <header>
              <strong>{SPECIAL_CATEGORIES[category][lang]}</strong>
              {editable && editing !== category && (
                <button
                  type="button"
                  className="button"
                  onClick={() => setEditing(category)}
                  data-testid={`special-rule-edit-${category}`}
                >
                  {s.setRule}
                </button>
              )}
            </header>
            <ul>
              {versions.map((version) => (
                <li key={version.id} className={version.current ? 'current' : ''}>
                  <span>
                    {s.effectiveFrom} {version.effectiveFrom}
                    {version.current && <b> · {s.current}</b>}
                  </span>
                  <code>{JSON.stringify(version.rule)}</code>
                  <small>
                    {s.setBy} {version.setByName} · {formatDateTime(version.setAt)}
                  </small>
                </li>
              ))}
            </ul>
            {editing === category && (
              <form className="special-form" onSubmit={(event) => void submit(event, category)}>
                <label className="field">
                  <span>{s.effectiveFrom}</span>
                  <input
                    name="effectiveFrom"
                    type="date"
                    className="input"
                    min={shanghaiToday()}
                    defaultValue={shanghaiToday()}
                    required
                  />
                </label>
                <label className="field">
                  <span>{s.ruleJson}</span>
                  <textarea name="rule" className="input" rows={4} defaultValue={JSON.stringify(current?.rule ?? {}, null, 1)} />
                </label>
                <div className="special-form-actions">
                  <button type="submit" className="button primary">
                    {s.save}
                  </button>
                  <button type="button" className="button" onClick={() => setEditing(null)}>
                    {s.cancel}
                  </button>
                </div>
              </form>
            )}
          </article>
        );
      })}
    </section>
  );
}
