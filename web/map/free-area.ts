/** A rectangle on the screen in CSS pixels, relative to the map's container: x grows right, y down. */
export interface ScreenRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** How much of each side of the map is covered, in CSS pixels: MapLibre's `PaddingOptions`. */
export interface Insets {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

type Side = keyof Insets;
const SIDES: readonly Side[] = ['top', 'right', 'bottom', 'left'];

/** How much the free rectangle's own size counts beside the target's drawn size (see scoreOf). */
const AREA_WEIGHT = 0.25;
/**
 * What pushing an obstacle out through another side than the one it is docked to costs, as a share
 * of the map's shorter side: a card of the left column is taken off the left unless taking it off
 * the top gains clearly more, so the target does not jump under the column when a card grows.
 */
const OFF_DOCK_COST = 0.05;

/** Beyond this many obstacles the search over sides (4ⁿ) gives way to each obstacle's cheapest side alone. */
const EXHAUSTIVE_MAX = 8;

/** The inset that pushing `rect` to `side` needs, in a container of `width` × `height`. */
function insetFor(rect: ScreenRect, side: Side, width: number, height: number): number {
  switch (side) {
    case 'top':
      return rect.bottom;
    case 'bottom':
      return height - rect.top;
    case 'left':
      return rect.right;
    case 'right':
      return width - rect.left;
  }
}

/**
 * How well the rectangle the insets leave holds a target of `aspect` (width / height): mostly how
 * large the target can be drawn (its drawn height, pixels), and partly how large the rectangle is
 * (the square root of its area), so that a few pixels more for the target do not buy a rectangle
 * far smaller than another (a short card pushed up instead of aside would leave the target low on
 * the screen with the top half empty). A rectangle that holds nothing scores −∞.
 */
function scoreOf(insets: Insets, width: number, height: number, aspect: number): number {
  const freeWidth = width - insets.left - insets.right;
  const freeHeight = height - insets.top - insets.bottom;
  if (freeWidth <= 0 || freeHeight <= 0) return Number.NEGATIVE_INFINITY;
  return Math.min(freeWidth / aspect, freeHeight) + AREA_WEIGHT * Math.sqrt(freeWidth * freeHeight);
}

/** The side of the map an obstacle is docked to: the one it lies nearest. */
function dockOf(rect: ScreenRect, width: number, height: number): Side {
  const distances: Record<Side, number> = {
    top: rect.top,
    right: width - rect.right,
    bottom: height - rect.bottom,
    left: rect.left,
  };
  return SIDES.reduce((best, side) => (distances[side] < distances[best] ? side : best));
}

function clip(rect: ScreenRect, width: number, height: number): ScreenRect | null {
  const clipped = {
    left: Math.max(0, rect.left),
    top: Math.max(0, rect.top),
    right: Math.min(width, rect.right),
    bottom: Math.min(height, rect.bottom),
  };
  return clipped.right > clipped.left && clipped.bottom > clipped.top ? clipped : null;
}

/**
 * The insets of the largest rectangle of the map that no obstacle (panel, legend, bar) covers, for
 * a target of `aspect` (its width / height on screen): each obstacle is pushed out through one
 * side of the map, and of every choice of sides the one in which the target can be drawn largest
 * wins, obstacles kept to the side they are docked to unless another gains clearly more. Panels sit along the edges, so this is the free part a user sees; n is the handful of
 * panels over the map, so all 4ⁿ choices are tried.
 */
export function freeInsets(width: number, height: number, obstacles: readonly ScreenRect[], aspect = 1): Insets {
  const rects = obstacles.map((rect) => clip(rect, width, height)).filter((rect): rect is ScreenRect => rect !== null);
  const safeAspect = Number.isFinite(aspect) && aspect > 0 ? aspect : 1;
  const empty: Insets = { top: 0, right: 0, bottom: 0, left: 0 };
  if (rects.length === 0) return empty;

  if (rects.length > EXHAUSTIVE_MAX) {
    const insets = { ...empty };
    for (const rect of rects) {
      const side = SIDES.reduce((best, side) =>
        insetFor(rect, side, width, height) < insetFor(rect, best, width, height) ? side : best,
      );
      insets[side] = Math.max(insets[side], insetFor(rect, side, width, height));
    }
    return insets;
  }

  const docks = rects.map((rect) => dockOf(rect, width, height));
  const offDockCost = OFF_DOCK_COST * Math.min(width, height);
  let best = empty;
  let bestScore = Number.NEGATIVE_INFINITY;
  // Every choice may leave nothing (panels over the whole map): the empty insets stand, and the caller decides.
  const choices = 4 ** rects.length;
  for (let choice = 0; choice < choices; choice++) {
    const insets = { ...empty };
    let rest = choice;
    let offDock = 0;
    for (const [index, rect] of rects.entries()) {
      const side = SIDES[rest % 4]!;
      rest = Math.floor(rest / 4);
      if (side !== docks[index]) offDock++;
      insets[side] = Math.max(insets[side], insetFor(rect, side, width, height));
    }
    const score = scoreOf(insets, width, height, safeAspect) - offDock * offDockCost;
    if (score > bestScore) {
      best = insets;
      bestScore = score;
    }
  }
  return best;
}

/** Whether two rectangles share more than `tolerance` pixels of width and of height. */
export function overlaps(a: ScreenRect, b: ScreenRect, tolerance = 0.5): boolean {
  return (
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > tolerance &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > tolerance
  );
}
