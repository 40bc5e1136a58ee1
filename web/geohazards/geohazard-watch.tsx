import { useQuery } from '@tanstack/react-query';
import { type RefObject, useEffect, useMemo, useState } from 'react';
import { GEOHAZARD_KINDS } from '../../api/vocabulary/geohazards.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import { framePadding } from '../command/map-framing.ts';
import { fill } from '../i18n.ts';
import type { CommandMap } from '../map/command-map.ts';
import { attachGeohazardLayer, GEOHAZARD_STATUS_COLORS } from '../map/geohazard-layer.ts';
import { type GeohazardPointDay, geohazardDayQuery } from './geohazard-api.ts';
import { useGeohazardStrings } from './geohazard-strings.ts';
import './geohazard-watch.css';

/** Zoom at least this far in on a point picked from the list: its slope and the cell around it. */
const POINT_MIN_ZOOM = 14;

interface GeohazardWatchProps {
  commandMap: CommandMap | null;
  /** The view, whose panels the map keeps a picked point clear of. */
  viewRef: RefObject<HTMLDivElement | null>;
}

/**
 * The geohazard watch of the command view: the points of the reader's scope on the map, coloured by
 * today's patrols against the rule (a tooltip on hover or tap says name, kind, monitor and count),
 * with a switch for the layer, and the list of points behind today; picking one flies the map to it.
 */
export function GeohazardWatch({ commandMap, viewRef }: GeohazardWatchProps) {
  const { lang, g } = useGeohazardStrings();
  const { data } = useQuery(geohazardDayQuery(true));
  const [layerOn, setLayerOn] = useState(true);
  const [hover, setHover] = useState<{ id: string; x: number; y: number } | null>(null);
  const [layer, setLayer] = useState<ReturnType<typeof attachGeohazardLayer> | null>(null);

  useEffect(() => {
    if (!commandMap) return;
    const attached = attachGeohazardLayer(commandMap.map, (id, screen) =>
      setHover(id && screen ? { id, x: screen.x, y: screen.y } : null),
    );
    setLayer(attached);
    return () => {
      attached.remove();
      setLayer(null);
    };
  }, [commandMap]);

  useEffect(() => {
    layer?.update(layerOn && data ? data.points : null);
  }, [data, layerOn, layer]);

  const behind = useMemo(
    () =>
      (data?.points ?? [])
        .filter((point) => point.status === 'behind')
        .sort((a, b) => a.patrols - a.required - (b.patrols - b.required) || a.id.localeCompare(b.id)),
    [data],
  );
  const byId = useMemo(() => new Map((data?.points ?? []).map((point) => [point.id, point])), [data]);
  const hovered = hover && layerOn ? byId.get(hover.id) : undefined;

  const flyTo = (point: GeohazardPointDay) => {
    const view = viewRef.current;
    if (!commandMap || !view) return;
    setLayerOn(true);
    commandMap.showPoint(point.position, POINT_MIN_ZOOM, framePadding(commandMap, view));
  };

  return (
    <section className="geohazard-watch" aria-label={g.title} data-testid="geohazard-watch">
      <header>
        <h2>{g.title}</h2>
        <label className="switch geohazard-switch">
          <input
            type="checkbox"
            role="switch"
            aria-checked={layerOn}
            checked={layerOn}
            onChange={(event) => setLayerOn(event.target.checked)}
            data-testid="geohazard-layer-switch"
          />
          <span className="switch-track" aria-hidden="true" />
          <span>{g.layer}</span>
        </label>
      </header>
      {!data ? (
        <p className="geohazard-note">{g.loading}</p>
      ) : (
        <>
          <p className="geohazard-note">
            {fill(g.rule, { season: data.inSeason ? g.inSeason : g.offSeason, n: data.required })} ·{' '}
            <span className="geohazard-legend" style={{ background: GEOHAZARD_STATUS_COLORS.behind }} />
            {fill(g.summary, { behind: behind.length, total: data.points.length })}
          </p>
          {data.required === 0 ? (
            <p className="geohazard-note">{g.unwatched}</p>
          ) : behind.length === 0 ? (
            <p className="geohazard-note">{g.allMet}</p>
          ) : (
            <>
              <h3>{g.behindToday}</h3>
              <ol className="geohazard-behind" data-testid="geohazard-behind">
                {behind.map((point) => (
                  <li key={point.id}>
                    <button type="button" onClick={() => flyTo(point)} title={fill(g.showOnMap, { name: point.name })}>
                      <span className="geohazard-name">{point.name}</span>
                      <span className="geohazard-count">{fill(g.count, { count: point.patrols, required: point.required })}</span>
                      <span className="geohazard-meta">
                        {labelOf(GEOHAZARD_KINDS, lang, point.kind)} · {g.monitor} {point.monitorName}
                      </span>
                    </button>
                  </li>
                ))}
              </ol>
            </>
          )}
        </>
      )}
      {hovered && hover && (
        <div className="geohazard-tooltip" role="tooltip" style={{ left: hover.x, top: hover.y }} data-testid="geohazard-tooltip">
          <strong>{hovered.name}</strong>
          <span>
            {labelOf(GEOHAZARD_KINDS, lang, hovered.kind)} · {hovered.id}
          </span>
          <span>
            {g.monitor}：{hovered.monitorName}
          </span>
          <span style={{ color: GEOHAZARD_STATUS_COLORS[hovered.status] }}>
            {fill(g.count, { count: hovered.patrols, required: hovered.required })}
          </span>
          <span>{fill(g.threat, { households: hovered.threatenedHouseholds, people: hovered.threatenedPeople })}</span>
        </div>
      )}
    </section>
  );
}
