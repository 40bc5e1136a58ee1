import './special.css';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LngLat } from '../../geo/types.ts';
import { handleError } from '../handle-error.ts';
import { fill } from '../i18n.ts';
import type { CommandMap } from '../map/command-map.ts';
import { OverdueCellsLayer } from '../map/overdue-cells-layer.ts';
import { SUPPRESSED_COLOR, VALUE_COLORS } from '../map/special-heatmap-colors.ts';
import type { SpecialHeatmapOverlay } from '../map/special-heatmap-layer.ts';
import { loadFailedTitle } from '../query-client.ts';
import { BreakGlassButton } from './break-glass-dialog.tsx';
import {
  fetchOverdueCells,
  fetchSpecialHeatmap,
  fetchSpecialPoints,
  type HeatmapAsk,
  type HeatmapMeasure,
  type HexSize,
} from './special-api.ts';
import { useSpecialStrings } from './special-strings.ts';

interface HeatmapModeProps {
  commandMap: CommandMap | null;
  /** The area counted: the selected one, else the reader's scope. */
  areaCode: string;
  zoom: number;
  /** The reader may break the glass (commanders, the duty officer). */
  mayBreakGlass: boolean;
}

/** The month `offset` months from this one, county time (UTC+8), as YYYY-MM. */
function countyMonth(offset = 0): string {
  const now = new Date(Date.now() + 8 * 3_600_000);
  const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return date.toISOString().slice(0, 7);
}

/** The hexagon size for a zoom; the server answers aggregate-only readers with its one size anyway. */
function sizeForZoom(zoom: number): HexSize {
  if (zoom < 9) return 'large';
  return zoom < 11.5 ? 'medium' : 'small';
}

const rgba = ([r, g, b, a]: readonly number[]) => `rgba(${r}, ${g}, ${b}, ${(a ?? 255) / 255})`;

/**
 * The command map's 重点人群热力 switch: visits made or follow-ups overdue per fixed hexagon over
 * whole months, counted on the server. Aggregate-only readers see hexagons with those of fewer
 * than 5 people hatched grey; readers with personal access see exact figures and may add the
 * points and the cells coloured by overdue risk (each read audited on the server).
 */
export function HeatmapMode({ commandMap, areaCode, zoom, mayBreakGlass }: HeatmapModeProps) {
  const { s } = useSpecialStrings();
  const [measure, setMeasure] = useState<HeatmapMeasure | null>(null);
  const [from, setFrom] = useState(() => countyMonth(-2));
  const [to, setTo] = useState(() => countyMonth(0));
  const [showPoints, setShowPoints] = useState(false);
  const [riskCells, setRiskCells] = useState(false);
  const ask: HeatmapAsk | null = measure
    ? { measure, from, to: [from, to].sort()[1] ?? to, area: areaCode, size: sizeForZoom(zoom) }
    : null;
  const heatmap = useQuery({
    queryKey: ['special', 'heatmap', ask],
    queryFn: ({ signal }) => fetchSpecialHeatmap(ask!, signal),
    enabled: ask !== null,
    placeholderData: (previous) => previous,
    meta: { errorTitle: loadFailedTitle },
  });
  const answer = ask ? heatmap.data : undefined;
  const exact = answer?.exact ?? false;
  const points = useQuery({
    queryKey: ['special', 'points', ask && { ...ask, size: null }],
    queryFn: ({ signal }) => fetchSpecialPoints(ask!, signal),
    enabled: ask !== null && exact && showPoints,
    meta: { errorTitle: loadFailedTitle },
  }).data;
  const overdueCells = useQuery({
    queryKey: ['special', 'overdue-cells', areaCode],
    queryFn: ({ signal }) => fetchOverdueCells(areaCode, signal),
    enabled: measure === 'overdue' && exact && riskCells,
    meta: { errorTitle: loadFailedTitle },
  }).data;

  const overlay = useRef<SpecialHeatmapOverlay | null>(null);
  const cellsLayer = useRef<OverdueCellsLayer | null>(null);
  const pointList = useMemo<LngLat[] | null>(
    () => (showPoints && exact && points ? points.points.map((point) => [point.lng, point.lat] as LngLat) : null),
    [showPoints, exact, points],
  );

  // deck.gl loads with the first heatmap shown, not with the command view.
  useEffect(() => {
    if (!commandMap || (!answer && !overlay.current)) return;
    let current = true;
    void import('../map/special-heatmap-layer.ts').then(({ SpecialHeatmapOverlay }) => {
      if (!current) return;
      overlay.current ??= new SpecialHeatmapOverlay(commandMap.map);
      overlay.current.show(answer?.size ? { figures: answer.units, size: answer.size, points: pointList } : null);
    }, handleError);
    return () => {
      current = false;
    };
  }, [commandMap, answer, pointList]);

  useEffect(() => {
    if (!commandMap) return;
    const map = commandMap.map;
    cellsLayer.current ??= new OverdueCellsLayer(map);
    const cells =
      measure === 'overdue' && exact && riskCells && overdueCells
        ? new Map(overdueCells.cells.map((cell) => [cell.cellCode, cell.worst]))
        : null;
    const apply = () => cellsLayer.current?.show(cells);
    if (map.isStyleLoaded()) apply();
    else map.once('load', apply);
    return () => {
      map.off('load', apply);
    };
  }, [commandMap, measure, exact, riskCells, overdueCells]);

  useEffect(
    () => () => {
      overlay.current?.remove();
      cellsLayer.current?.show(null);
    },
    [],
  );

  return (
    <section className="special-mode" data-on={measure !== null} data-testid="special-mode" aria-label={s.mode}>
      <div className="special-measures" role="radiogroup" aria-label={s.mode}>
        <strong>{s.mode}</strong>
        {([null, 'visits', 'overdue'] as const).map((option) => (
          <label key={option ?? 'off'} className="special-measure">
            <input
              type="radio"
              name="special-measure"
              checked={measure === option}
              onChange={() => setMeasure(option)}
              data-testid={`special-measure-${option ?? 'off'}`}
            />
            {option === null ? s.off : s[option]}
          </label>
        ))}
        {mayBreakGlass && <BreakGlassButton areaCode={areaCode} />}
      </div>
      {measure && (
        <div className="special-body" data-testid="special-legend" data-state={answer ? 'ready' : 'loading'}>
          <div className="special-period">
            <label>
              {s.from}
              <input
                type="month"
                value={from}
                max={countyMonth(0)}
                onChange={(event) => event.target.value && setFrom(event.target.value)}
              />
            </label>
            <label>
              {s.to}
              <input
                type="month"
                value={to}
                max={countyMonth(0)}
                onChange={(event) => event.target.value && setTo(event.target.value)}
              />
            </label>
          </div>
          <div className="special-ramp">
            <span>{s.low}</span>
            {VALUE_COLORS.map((color) => (
              <span key={color.join()} className="special-swatch" style={{ background: rgba(color) }} />
            ))}
            <span>{s.high}</span>
          </div>
          {!exact && (
            <p className="special-suppressed">
              <span className="special-swatch special-hatch" style={{ backgroundColor: rgba(SUPPRESSED_COLOR) }} />
              {s.suppressed}
            </p>
          )}
          <p className="special-note" data-testid="special-note">
            {answer ? (exact ? s.exactNote : s.aggregateNote) : s.loading}
          </p>
          {answer && <p className="special-note">{fill(s.sum, { n: answer.publishedSum, s: answer.suppressedUnits })}</p>}
          {exact && (
            <label className="special-toggle">
              <input type="checkbox" checked={showPoints} onChange={(event) => setShowPoints(event.target.checked)} />
              {s.points}
            </label>
          )}
          {exact && measure === 'overdue' && (
            <label className="special-toggle">
              <input type="checkbox" checked={riskCells} onChange={(event) => setRiskCells(event.target.checked)} />
              {s.riskCells}
            </label>
          )}
          {exact && measure === 'overdue' && riskCells && (
            <ul className="special-risks">
              {(['red', 'yellow', 'blue'] as const).map((risk) => (
                <li key={risk} data-risk={risk}>
                  {s.risk[risk]}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
