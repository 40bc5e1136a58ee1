import type { PlanarVertices } from './clip-voronoi-to-outline';

const KEY_BASE = 2 ** 24;

/**
 * Merges faces of a planar subdivision (rings of vertex ids, shells counter-clockwise, holes clockwise) into
 * the boundary of their union, exactly and without any floating-point clipping: an edge that one face runs
 * a→b and a neighbour runs b→a is interior and cancels; the edges left over are the boundary, chained into
 * loops. This is how a grid is made the literal union of its cells, a village of its grids, and so on.
 *
 * Where the boundary touches itself at a vertex, the chaining turns as far left as it can (it hugs the face it
 * is tracing) and the result is then split at repeated vertices, so every loop is simple: two pieces meeting at
 * a corner come out as two shells, a hole touching its shell as a shell plus a hole.
 *
 * @returns loops of vertex ids, open; counter-clockwise loops are shells, clockwise loops holes.
 */
export function mergeRings(rings: readonly (readonly number[])[], vertices: PlanarVertices): number[][] {
  const edgeCount = new Map<number, number>();
  for (const ring of rings) {
    for (let index = 0; index < ring.length; index++) {
      const from = ring[index]!;
      const to = ring[(index + 1) % ring.length]!;
      if (from === to) continue;
      const reverseKey = to * KEY_BASE + from;
      const reverse = edgeCount.get(reverseKey);
      if (reverse !== undefined) {
        if (reverse === 1) edgeCount.delete(reverseKey);
        else edgeCount.set(reverseKey, reverse - 1);
        continue;
      }
      const key = from * KEY_BASE + to;
      edgeCount.set(key, (edgeCount.get(key) ?? 0) + 1);
    }
  }

  const outgoing = new Map<number, number[]>();
  for (const [key, count] of edgeCount) {
    const from = Math.floor(key / KEY_BASE);
    const to = key - from * KEY_BASE;
    let targets = outgoing.get(from);
    if (!targets) {
      targets = [];
      outgoing.set(from, targets);
    }
    for (let copy = 0; copy < count; copy++) targets.push(to);
  }

  /** Of the edges leaving `at`, the one turning furthest left coming from `previous`. */
  const takeNext = (previous: number, at: number): number => {
    const targets = outgoing.get(at);
    if (!targets || targets.length === 0) throw new Error(`merged boundary is open at vertex ${at}`);
    let chosen = 0;
    if (targets.length > 1) {
      const inX = vertices.xs[at]! - vertices.xs[previous]!;
      const inY = vertices.ys[at]! - vertices.ys[previous]!;
      let bestTurn = Number.NEGATIVE_INFINITY;
      targets.forEach((target, index) => {
        const outX = vertices.xs[target]! - vertices.xs[at]!;
        const outY = vertices.ys[target]! - vertices.ys[at]!;
        const turn = Math.atan2(inX * outY - inY * outX, inX * outX + inY * outY);
        if (turn > bestTurn) {
          bestTurn = turn;
          chosen = index;
        }
      });
    }
    const [target] = targets.splice(chosen, 1);
    return target!;
  };

  const loops: number[][] = [];
  for (const [start, targets] of outgoing) {
    while (targets.length > 0) {
      const walk = [start];
      let previous = start;
      let current = targets.shift()!;
      while (current !== start) {
        walk.push(current);
        const next = takeNext(previous, current);
        previous = current;
        current = next;
      }
      loops.push(...splitAtRepeatedVertices(walk));
    }
  }
  return loops;
}

/** Splits a closed walk that visits some vertex twice into simple loops. */
export function splitAtRepeatedVertices<T>(walk: readonly T[]): T[][] {
  const loops: T[][] = [];
  const stack: T[] = [];
  const position = new Map<T, number>();
  for (const vertex of walk) {
    const seen = position.get(vertex);
    if (seen === undefined) {
      position.set(vertex, stack.length);
      stack.push(vertex);
      continue;
    }
    const loop = stack.splice(seen + 1);
    for (const removed of loop) position.delete(removed);
    loops.push([vertex, ...loop]);
  }
  if (stack.length > 0) loops.push(stack);
  return loops;
}
