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
 * How large a target of `aspect` (width / height) can be drawn in the rectangle the insets leave:
 * its drawn height. A free rectangle that holds nothing scores −1.
 */
function scoreOf(insets: Insets, width: number, height: number, aspect: number): number {
  const freeWidth = width - insets.left - insets.right;
  const freeHeight = height - insets.top - insets.bottom;
  if (freeWidth <= 0 || freeHeight <= 0) return -1;
  // Ties (a target much wider than tall) go to the larger rectangle.
  return Math.min(freeWidth / aspect, freeHeight) + (freeWidth * freeHeight) / (width * height) / 1000;
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
 * wins. Panels sit along the edges, so this is the free part a user sees; n is the handful of
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

  let best = empty;
  let bestScore = Number.NEGATIVE_INFINITY;
  const choices = 4 ** rects.length;
  for (let choice = 0; choice < choices; choice++) {
    const insets = { ...empty };
    let rest = choice;
    for (const rect of rects) {
      const side = SIDES[rest % 4]!;
      rest = Math.floor(rest / 4);
      insets[side] = Math.max(insets[side], insetFor(rect, side, width, height));
    }
    const score = scoreOf(insets, width, height, safeAspect);
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
