import './coverage.css';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { fill } from '../i18n.ts';
import type { CommandMap } from '../map/command-map.ts';
import { COVERAGE_CLASSES, COVERAGE_COLORS, PatrolCoverageLayer } from '../map/patrol-coverage-layer.ts';
import { cellDaysQuery } from './coverage-queries.ts';
import { useCoverageStrings } from './coverage-strings.ts';

interface CoverageModeProps {
  commandMap: CommandMap | null;
  /** The reader's scope: the cells coloured are those under it. */
  scopeCode: string;
}

/**
 * The command map's 巡查覆盖 switch and, while it is on, its legend: cells coloured by days since
 * their last patrol (today, within 7 days, within 30 days, over 30 days or never).
 */
export function CoverageMode({ commandMap, scopeCode }: CoverageModeProps) {
  const { c } = useCoverageStrings();
  const [on, setOn] = useState(false);
  const cellDays = useQuery(cellDaysQuery(scopeCode, on)).data;
  const layer = useRef<PatrolCoverageLayer | null>(null);
  const days = useMemo(() => {
    if (!on || !cellDays) return null;
    return new Map(Object.entries(cellDays.days).map(([suffix, value]) => [cellDays.areaCode + suffix, value]));
  }, [on, cellDays]);

  useEffect(() => {
    if (!commandMap) return;
    const map = commandMap.map;
    layer.current ??= new PatrolCoverageLayer(map);
    const apply = () => layer.current?.show(days);
    if (map.isStyleLoaded()) apply();
    else map.once('load', apply);
    return () => {
      map.off('load', apply);
    };
  }, [commandMap, days]);
  useEffect(() => () => layer.current?.show(null), []);

  return (
    <section className="coverage-mode" data-on={on} data-testid="coverage-mode" aria-label={c.mode}>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          aria-checked={on}
          checked={on}
          onChange={(event) => setOn(event.target.checked)}
          data-testid="coverage-switch"
        />
        <span className="switch-track" aria-hidden="true" />
        <span>
          {c.mode}
          <small>{cellDays && on ? fill(c.asOf, { day: cellDays.asOf }) : c.modeNote}</small>
        </span>
      </label>
      {on && (
        <ul className="coverage-legend" data-testid="coverage-legend" data-state={cellDays ? 'ready' : 'loading'}>
          {COVERAGE_CLASSES.map((name) => (
            <li key={name} data-class={name}>
              <span className="coverage-swatch" style={{ background: COVERAGE_COLORS[name] }} />
              {c.classes[name]}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
