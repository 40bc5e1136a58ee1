import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import type { AreaSearchResult } from '../api-client.ts';
import { areaSearchQuery } from '../areas/area-queries.ts';
import { levelLabel, useI18n } from '../i18n.ts';
import { useDebounced } from '../ui/use-debounced.ts';

const DEBOUNCE_MS = 200;
const RESULT_LIMIT = 12;

interface AreaPickerProps {
  label: string;
  value: AreaSearchResult | null;
  onChange: (area: AreaSearchResult | null) => void;
  /** Only areas at these levels are offered (the levels the chosen role may be given); all when absent. */
  levels?: readonly string[];
}

/**
 * Picks an area scope by its name (or pinyin, or code) with the map's area search: the admin sees
 * 沙溪镇 › 王坪村, not 511921108209. The search is cut to the admin's own scope, as the API is.
 */
export function AreaPicker({ label, value, onChange, levels }: AreaPickerProps) {
  const { lang, t } = useI18n();
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const settled = useDebounced(query.trim(), DEBOUNCE_MS);
  const search = useQuery({
    ...areaSearchQuery(settled, RESULT_LIMIT),
    enabled: settled !== '',
    placeholderData: keepPreviousData,
  });
  const results = query.trim() ? (search.data ?? null) : null;
  const offered = results && levels ? results.filter((area) => levels.includes(area.level)) : results;

  if (value) {
    return (
      <div className="field">
        <span>{label}</span>
        <div className="area-choice" data-testid="area-choice" data-code={value.code}>
          <span className="area-choice-text">
            <strong className="area-choice-name">{value.name}</strong>
            <span className="level-chip" data-level={value.level}>
              {levelLabel(lang, value.level, value.kind)}
            </span>
            <small className="area-choice-path">
              {[...value.parentNames, value.name].join(' › ')} · {value.code}
            </small>
          </span>
          <button
            type="button"
            className="button"
            onClick={() => {
              onChange(null);
              setTimeout(() => inputRef.current?.focus());
            }}
          >
            {t.scopeChange}
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="field area-picker">
      <label htmlFor={inputId}>{label}</label>
      <input
        ref={inputRef}
        id={inputId}
        className="input"
        type="search"
        placeholder={t.scopeSearch}
        value={query}
        autoComplete="off"
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={(event) => {
          // Enter picks the first match instead of submitting the dialog.
          if (event.key !== 'Enter') return;
          event.preventDefault();
          const first = offered?.[0];
          if (first) onChange(first);
        }}
      />
      {query.trim() && offered && (
        <ul className="area-results" aria-label={t.scopePick}>
          {offered.length === 0 && <li className="muted">{t.searchNoResults}</li>}
          {offered.map((result) => (
            <li key={result.code}>
              <button type="button" className="area-result" data-code={result.code} onClick={() => onChange(result)}>
                <strong>{result.name}</strong>
                <span className="level-chip" data-level={result.level}>
                  {levelLabel(lang, result.level, result.kind)}
                </span>
                <small className="area-result-parents">{result.parentNames.join(' › ') || '—'}</small>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
