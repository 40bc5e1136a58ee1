import { useQuery } from '@tanstack/react-query';
import type { KeyboardEvent } from 'react';
import { useId, useRef, useState } from 'react';
import type { AreaSearchResult } from '../api-client.ts';
import { areaSearchQuery } from '../areas/area-queries.ts';
import { levelLabel, useI18n } from '../i18n.ts';
import { useDebounced } from '../ui/use-debounced.ts';

const DEBOUNCE_MS = 180;
const RESULT_LIMIT = 20;

/** Finds any area by name, pinyin (full or initials) or code; picking one flies there and selects it. */
export function SearchBox({ onPick }: { onPick: (result: AreaSearchResult) => void }) {
  const { lang, t } = useI18n();
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const text = query.trim();
  const settled = useDebounced(text, DEBOUNCE_MS);
  const search = useQuery({ ...areaSearchQuery(settled, RESULT_LIMIT), enabled: settled !== '' });
  const results = text ? (search.data ?? null) : null;
  const searching = text !== settled || search.isFetching;

  const pick = (result: AreaSearchResult) => {
    onPick(result);
    setOpen(false);
    setQuery('');
    inputRef.current?.blur();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') {
      setOpen(false);
      return;
    }
    if (!results?.length) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((index) => (index + step + results.length) % results.length);
    } else if (event.key === 'Enter') {
      const result = results[active];
      if (result) pick(result);
    }
  };

  const showList = open && query.trim() !== '';
  return (
    <div className="search-box">
      <input
        ref={inputRef}
        type="search"
        role="combobox"
        aria-label={t.searchLabel}
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList && results?.[active] ? `${listId}-${active}` : undefined}
        placeholder={t.searchPlaceholder}
        value={query}
        enterKeyHint="search"
        onChange={(event) => {
          setQuery(event.target.value);
          // New results start at their first row.
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={(event) => {
          if (!event.relatedTarget?.closest('.search-results')) setOpen(false);
        }}
        onKeyDown={onKeyDown}
      />
      {showList && (
        <div className="search-results">
          {results === null || searching ? (
            <p className="search-status">{t.searching}</p>
          ) : results.length === 0 ? (
            <p className="search-status">{t.searchNoResults}</p>
          ) : null}
          {results && results.length > 0 && (
            <div id={listId} role="listbox" aria-label={t.searchLabel} className="search-list">
              {results.map((result, index) => (
                <button
                  type="button"
                  role="option"
                  key={result.code}
                  id={`${listId}-${index}`}
                  aria-selected={index === active}
                  tabIndex={-1}
                  onClick={() => pick(result)}
                  onMouseEnter={() => setActive(index)}
                >
                  <span className="result-name">{result.name}</span>
                  <span className="level-chip" data-level={result.level}>
                    {levelLabel(lang, result.level, result.kind)}
                  </span>
                  <span className="result-parents">{result.parentNames.join(' › ') || '—'}</span>
                  <span className="result-code">{result.code}</span>
                </button>
              ))}
            </div>
          )}
        </div>
      )}
    </div>
  );
}
