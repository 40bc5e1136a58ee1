import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import type { AreaChild } from '../api-client.ts';
import { areaChildrenQuery } from '../areas/area-queries.ts';
import { useSession } from '../auth/session.ts';
import { useCaseStrings } from './case-strings.ts';

const NO_AREAS: readonly AreaChild[] = [];

/**
 * Picks an area inside the account's scope in two steps (say township, then village), from the
 * areas API; empty means the whole scope.
 */
export function AreaFilter({ value, onChange }: { value: string; onChange: (code: string) => void }) {
  const { c } = useCaseStrings();
  const { me } = useSession();
  const id = useId();
  const top = useQuery(areaChildrenQuery(me.scopeCode)).data ?? NO_AREAS;
  const topCode = top.find((area) => value.startsWith(area.code))?.code ?? '';
  const below = useQuery({ ...areaChildrenQuery(topCode), enabled: topCode !== '' }).data ?? NO_AREAS;

  return (
    <div className="field area-filter">
      <label htmlFor={`${id}-top`}>{c.areaFilter}</label>
      <div className="field-row">
        <select id={`${id}-top`} className="input" value={topCode} onChange={(event) => onChange(event.target.value)}>
          <option value="">{c.allAreas}</option>
          {top.map((area) => (
            <option key={area.code} value={area.code}>
              {area.name}
            </option>
          ))}
        </select>
        {topCode && below.length > 0 && (
          <select
            className="input"
            aria-label={c.areaFilter}
            value={value === topCode ? '' : value}
            onChange={(event) => onChange(event.target.value || topCode)}
          >
            <option value="">—</option>
            {below.map((area) => (
              <option key={area.code} value={area.code}>
                {area.name}
              </option>
            ))}
          </select>
        )}
      </div>
    </div>
  );
}
