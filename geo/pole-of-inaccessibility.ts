import { distanceToRings, type PlaneRing, ringsBounds, ringsContain } from './plane-rings';

interface Probe {
  x: number;
  y: number;
  /** Half the probe square's side. */
  half: number;
  /** Signed distance from the centre to the boundary: positive inside. */
  distance: number;
  /** The best distance any point of the square could have. */
  potential: number;
}

/**
 * The point of a polygon farthest from its boundary, to within `precision` (the "polylabel" algorithm of
 * Mapbox: a quadtree search that discards squares that cannot beat the best point found). Labels placed there
 * sit visibly inside even very concave areas, where a centroid may fall outside.
 *
 * @param polygon shell then holes, flat rings in the km plane.
 * @param precision km.
 * @returns [x, y] in km, and its distance to the boundary in km.
 */
export function poleOfInaccessibility(
  polygon: readonly PlaneRing[],
  precision: number,
): { x: number; y: number; distance: number } {
  const [minX, minY, maxX, maxY] = ringsBounds(polygon);
  const side = Math.min(maxX - minX, maxY - minY);
  const signedDistance = (x: number, y: number): number =>
    (ringsContain(polygon, x, y) ? 1 : -1) * distanceToRings(polygon, x, y);
  const probe = (x: number, y: number, half: number): Probe => {
    const distance = signedDistance(x, y);
    return { x, y, half, distance, potential: distance + half * Math.SQRT2 };
  };
  const shell = polygon[0] ?? [];
  if (!(side > 0)) return { x: shell[0] ?? minX, y: shell[1] ?? minY, distance: 0 };

  const heap: Probe[] = [];
  const push = (item: Probe): void => {
    heap.push(item);
    for (let index = heap.length - 1; index > 0; ) {
      const parent = (index - 1) >> 1;
      if (heap[parent]!.potential >= heap[index]!.potential) break;
      [heap[parent], heap[index]] = [heap[index]!, heap[parent]!];
      index = parent;
    }
  };
  const pop = (): Probe => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let index = 0; ; ) {
        const left = index * 2 + 1;
        const right = left + 1;
        let largest = index;
        if (left < heap.length && heap[left]!.potential > heap[largest]!.potential) largest = left;
        if (right < heap.length && heap[right]!.potential > heap[largest]!.potential) largest = right;
        if (largest === index) break;
        [heap[largest], heap[index]] = [heap[index]!, heap[largest]!];
        index = largest;
      }
    }
    return top;
  };

  const half = side / 2;
  for (let x = minX; x < maxX; x += side) for (let y = minY; y < maxY; y += side) push(probe(x + half, y + half, half));
  // Start from the area-weighted centroid of the shell, which is often already a good answer.
  let twiceArea = 0;
  let centroidX = 0;
  let centroidY = 0;
  for (let index = 0, previous = shell.length - 2; index < shell.length; previous = index, index += 2) {
    const cross = shell[previous]! * shell[index + 1]! - shell[index]! * shell[previous + 1]!;
    twiceArea += cross;
    centroidX += (shell[previous]! + shell[index]!) * cross;
    centroidY += (shell[previous + 1]! + shell[index + 1]!) * cross;
  }
  let best =
    twiceArea !== 0 ? probe(centroidX / (3 * twiceArea), centroidY / (3 * twiceArea), 0) : probe(shell[0]!, shell[1]!, 0);
  const boxCentre = probe(minX + (maxX - minX) / 2, minY + (maxY - minY) / 2, 0);
  if (boxCentre.distance > best.distance) best = boxCentre;

  while (heap.length > 0) {
    const cell = pop();
    if (cell.distance > best.distance) best = cell;
    if (cell.potential - best.distance <= precision) continue;
    const quarter = cell.half / 2;
    push(probe(cell.x - quarter, cell.y - quarter, quarter));
    push(probe(cell.x + quarter, cell.y - quarter, quarter));
    push(probe(cell.x - quarter, cell.y + quarter, quarter));
    push(probe(cell.x + quarter, cell.y + quarter, quarter));
  }
  return { x: best.x, y: best.y, distance: best.distance };
}
