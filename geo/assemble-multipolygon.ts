import type { MultiPolygon, Position } from 'geojson';
import { splitAtRepeatedVertices } from './merge-rings';
import { ringSignedArea, ringsContain } from './plane-rings';

/** Loops smaller than this (in square degrees, about 0.01 m²) are rounding debris, not geometry. */
const DEBRIS_AREA = 1e-15;

function samePosition(a: Position, b: Position): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** Drops repeated consecutive positions and back-and-forth spikes (a, b, a), cyclically. */
function removeDegenerateVertices(loop: readonly Position[]): Position[] {
  const kept: Position[] = [];
  for (const position of loop) {
    const last = kept[kept.length - 1];
    if (last && samePosition(last, position)) continue;
    const beforeLast = kept[kept.length - 2];
    if (beforeLast && samePosition(beforeLast, position)) {
      kept.pop();
      continue;
    }
    kept.push(position);
  }
  // The same two rules across the seam between the end and the start.
  for (let changed = true; changed && kept.length >= 2; ) {
    changed = false;
    if (samePosition(kept[0]!, kept[kept.length - 1]!)) {
      kept.pop();
      changed = true;
    } else if (kept.length >= 3 && samePosition(kept[1]!, kept[kept.length - 1]!)) {
      kept.shift();
      kept.pop();
      changed = true;
    } else if (kept.length >= 3 && samePosition(kept[0]!, kept[kept.length - 2]!)) {
      kept.pop();
      kept.pop();
      changed = true;
    }
  }
  return kept;
}

const flatten = (loop: readonly Position[]): number[] => loop.flatMap(([x = 0, y = 0]) => [x, y]);

/**
 * Builds a valid GeoJSON MultiPolygon from boundary loops (open rings, counter-clockwise shells and clockwise
 * holes, see merge-rings.ts) whose coordinates have already been rounded.
 *
 * Rounding to 1e-7° can merge two vertices that were a centimetre apart; this is where the consequences are
 * cleaned up: repeated points and spikes are removed, loops that now touch themselves are split, loops that
 * collapsed to nothing are dropped, every hole goes to the smallest shell around it, and rings are closed.
 * Since a shared vertex is rounded once and used by both sides, neighbours get the same cleaning.
 * Polygons are ordered largest first, so `coordinates[0]` is the main piece.
 */
export function assembleMultiPolygon(loops: readonly (readonly Position[])[]): MultiPolygon {
  const shells: { ring: Position[]; flat: number[]; area: number; holes: Position[][] }[] = [];
  const holes: { ring: Position[]; flat: number[] }[] = [];
  for (const loop of loops) {
    const cleaned = removeDegenerateVertices(loop);
    const keyed = cleaned.map((position) => `${position[0]},${position[1]}`);
    const byKey = new Map(keyed.map((key, index) => [key, cleaned[index]!]));
    for (const pieceKeys of splitAtRepeatedVertices(keyed)) {
      const piece = removeDegenerateVertices(pieceKeys.map((key) => byKey.get(key)!));
      if (piece.length < 3) continue;
      const flat = flatten(piece);
      const area = ringSignedArea(flat);
      if (Math.abs(area) < DEBRIS_AREA) continue;
      if (area > 0) shells.push({ ring: piece, flat, area, holes: [] });
      else holes.push({ ring: piece, flat });
    }
  }
  for (const hole of holes) {
    const midX = (hole.flat[0]! + hole.flat[2]!) / 2;
    const midY = (hole.flat[1]! + hole.flat[3]!) / 2;
    let host: (typeof shells)[number] | undefined;
    for (const shell of shells) {
      if ((!host || shell.area < host.area) && ringsContain([shell.flat], midX, midY)) host = shell;
    }
    if (!host) throw new Error('a hole lies outside every shell');
    host.holes.push(hole.ring);
  }
  shells.sort((a, b) => b.area - a.area || a.flat[0]! - b.flat[0]! || a.flat[1]! - b.flat[1]!);
  const close = (ring: Position[]): Position[] => [...ring, ring[0]!];
  return {
    type: 'MultiPolygon',
    coordinates: shells.map((shell) => [close(shell.ring), ...shell.holes.map(close)]),
  };
}
