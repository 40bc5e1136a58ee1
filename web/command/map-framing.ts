import type { RefObject } from 'react';
import { useCallback, useEffect, useRef } from 'react';
import type { Bbox } from '../api-client.ts';
import type { CommandMap } from '../map/command-map.ts';
import type { Insets, ScreenRect } from '../map/free-area.ts';
import { freeInsets, overlaps } from '../map/free-area.ts';

/**
 * What floats over the map: the header, the left column's cards (duty board, level indicator,
 * live list), the area and case panels, the legend and the zoom buttons. One list, so a new panel
 * joins the free-area sums by its class; the browser tests read the same list.
 */
const MAP_OBSTACLES = [
  '.top-bar',
  '.command-left > *',
  '.area-panel',
  '.case-panel',
  '.map-legend',
  '.coverage-mode',
  '.maplibregl-ctrl-bottom-right > .maplibregl-ctrl',
].join(', ');

/** Width at and below which panels become sheets (matches command/phone-sheet.css). */
const PHONE_MAX_WIDTH = 720;
/** A fit must leave at least this much of the map, or MapLibre refuses to move (pixels). */
const MIN_FREE = 48;
/** Quiet time after a panel changes size before the view follows, so a panel that loads in steps moves the map once. */
const SETTLE_MS = 120;

/** What the map should keep in its free part: the selected area, or the home view before anything is chosen. */
export interface FramingTarget {
  /** An area code, or `home`: a new key is a new target. */
  key: string;
  /** [west, south, east, north], WGS84. */
  bbox: Bbox;
  /** `fit`: fly to it now (breadcrumb, search, a shared link); `clear`: move only if something covers it (a click on the map). */
  mode: 'fit' | 'clear';
  /** False to jump rather than fly (the first view of the page). */
  animate?: boolean;
}

/** The rectangles of the visible obstacles inside `root`, in pixels of the map's container. */
function mapObstacles(root: ParentNode, container: DOMRect): ScreenRect[] {
  const rects: ScreenRect[] = [];
  for (const element of root.querySelectorAll(MAP_OBSTACLES)) {
    const rect = element.getBoundingClientRect();
    if (rect.width < 1 || rect.height < 1) continue;
    rects.push({
      left: rect.left - container.left,
      top: rect.top - container.top,
      right: rect.right - container.left,
      bottom: rect.bottom - container.top,
    });
  }
  return rects;
}

/**
 * The padding that leaves the target in the largest part of the map no panel covers, with a margin
 * around it; `bbox` gives the target's shape (a wide area prefers a wide free part).
 */
export function framePadding(commandMap: CommandMap, root: ParentNode, bbox?: Bbox): Insets {
  const container = commandMap.containerRect();
  const { width, height } = container;
  let aspect = 1;
  if (bbox) {
    const screen = commandMap.screenBoundsOf(bbox);
    const screenWidth = screen.right - screen.left;
    const screenHeight = screen.bottom - screen.top;
    if (screenWidth > 0 && screenHeight > 0) aspect = screenWidth / screenHeight;
  }
  const insets = freeInsets(width, height, mapObstacles(root, container), aspect);
  const margin = width <= PHONE_MAX_WIDTH ? 8 : 24;
  const padding = {
    top: insets.top + margin,
    right: insets.right + margin,
    bottom: insets.bottom + margin,
    left: insets.left + margin,
  };
  // Panels that leave almost nothing (a tiny window): fit to the whole map rather than not at all.
  if (width - padding.left - padding.right < MIN_FREE || height - padding.top - padding.bottom < MIN_FREE)
    return { top: margin, right: margin, bottom: margin, left: margin };
  return padding;
}

/** Whether the target's bounds leave the map or lie under any obstacle now. */
function isCovered(commandMap: CommandMap, root: ParentNode, bbox: Bbox): boolean {
  const container = commandMap.containerRect();
  const target = commandMap.screenBoundsOf(bbox);
  const tolerance = 1;
  if (
    target.left < -tolerance ||
    target.top < -tolerance ||
    target.right > container.width + tolerance ||
    target.bottom > container.height + tolerance
  )
    return true;
  return mapObstacles(root, container).some((obstacle) => overlaps(obstacle, target, tolerance));
}

/**
 * Keeps the target in the part of the map that no panel covers. A new target is fitted (`fit`) or
 * moved into view if covered (`clear`); afterwards, whenever a panel opens, closes or changes size
 * (ResizeObserver), the view follows, unless the user has moved the map by hand since: then the
 * view is theirs. The camera padding is computed from the panels' real rectangles each time.
 * Sets `data-map-framed` on the document element to the target's key once the view holds it (for
 * the browser tests, as `data-map-ready`).
 */
export function useMapFraming(
  commandMap: CommandMap | null,
  rootRef: RefObject<HTMLElement | null>,
  target: FramingTarget | null,
) {
  const targetRef = useRef(target);
  targetRef.current = target;
  /** The target still owed a fit whatever the coverage (mode `fit`), by key. */
  const owedFit = useRef<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const observer = useRef<ResizeObserver | null>(null);
  const observed = useRef(new Set<Element>());

  const frame = useRef<() => void>(() => {});
  const schedule = useCallback((delay = SETTLE_MS) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => frame.current(), delay);
  }, []);
  frame.current = () => {
    const current = targetRef.current;
    const root = rootRef.current;
    if (!commandMap || !current || !root) return;
    if (commandMap.isMoving()) {
      commandMap.map.once('moveend', () => schedule());
      return;
    }
    const mustFit = owedFit.current === current.key;
    owedFit.current = null;
    if (!mustFit && commandMap.movedByHandSinceFit()) return;
    if (mustFit || isCovered(commandMap, root, current.bbox)) {
      commandMap.fitBbox(current.bbox, framePadding(commandMap, root, current.bbox), { animate: current.animate ?? true });
      commandMap.map.once('moveend', () => {
        if (targetRef.current?.key === current.key) document.documentElement.dataset.mapFramed = current.key;
      });
      return;
    }
    document.documentElement.dataset.mapFramed = current.key;
  };

  // A new target: fitted, or checked, once the panels it opens have been laid out.
  const key = target?.key ?? null;
  const mode = target?.mode;
  // A new key or mode is a new target; its bbox is read from the ref when framing.
  useEffect(() => {
    delete document.documentElement.dataset.mapFramed;
    if (!commandMap || key === null) return;
    commandMap.forgetHandMoves();
    owedFit.current = mode === 'fit' ? key : null;
    schedule(0);
  }, [commandMap, key, mode, schedule]);

  useEffect(() => {
    observer.current = new ResizeObserver(() => schedule());
    const elements = observed.current;
    return () => {
      observer.current?.disconnect();
      observer.current = null;
      elements.clear();
      clearTimeout(timer.current);
      delete document.documentElement.dataset.mapFramed;
    };
  }, [schedule]);

  // Panels come and go with every render of the view: watch the ones there now (the root too, for the window's size).
  useEffect(() => {
    const root = rootRef.current;
    const resizes = observer.current;
    if (!root || !resizes) return;
    const now = new Set<Element>([root, ...root.querySelectorAll(MAP_OBSTACLES)]);
    let changed = false;
    for (const element of observed.current) {
      if (now.has(element)) continue;
      resizes.unobserve(element);
      observed.current.delete(element);
      changed = true;
    }
    for (const element of now) {
      if (observed.current.has(element)) continue;
      resizes.observe(element);
      observed.current.add(element);
    }
    if (changed) schedule();
  });
}
