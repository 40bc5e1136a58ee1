/**
 * Small primitives on rings in the km plane (see plane-projection.ts), shared by the generator's steps.
 *
 * A ring here is a flat array [x0, y0, x1, y1, …] in kilometres, open (the first point is not repeated).
 * Shells run counter-clockwise (positive signed area) and holes clockwise, as GeoJSON orders them.
 */
export type PlaneRing = readonly number[];

/** Signed area in km² by the shoelace formula: positive for a counter-clockwise ring. */
export function ringSignedArea(ring: PlaneRing): number {
  const count = ring.length / 2;
  if (count < 3) return 0;
  let twiceArea = 0;
  let previousX = ring[ring.length - 2]!;
  let previousY = ring[ring.length - 1]!;
  for (let index = 0; index < ring.length; index += 2) {
    const x = ring[index]!;
    const y = ring[index + 1]!;
    twiceArea += previousX * y - x * previousY;
    previousX = x;
    previousY = y;
  }
  return twiceArea / 2;
}

/** Even-odd point-in-polygon over any number of rings (a polygon with holes, or several polygons). */
export function ringsContain(rings: readonly PlaneRing[], x: number, y: number): boolean {
  let inside = false;
  for (const ring of rings) {
    let previousX = ring[ring.length - 2]!;
    let previousY = ring[ring.length - 1]!;
    for (let index = 0; index < ring.length; index += 2) {
      const currentX = ring[index]!;
      const currentY = ring[index + 1]!;
      if (currentY > y !== previousY > y && x < previousX + ((y - previousY) * (currentX - previousX)) / (currentY - previousY)) {
        inside = !inside;
      }
      previousX = currentX;
      previousY = currentY;
    }
  }
  return inside;
}

/** Distance in km from a point to the nearest edge of any of the rings. */
export function distanceToRings(rings: readonly PlaneRing[], x: number, y: number): number {
  let nearestSquared = Number.POSITIVE_INFINITY;
  for (const ring of rings) {
    let previousX = ring[ring.length - 2]!;
    let previousY = ring[ring.length - 1]!;
    for (let index = 0; index < ring.length; index += 2) {
      const currentX = ring[index]!;
      const currentY = ring[index + 1]!;
      const edgeX = currentX - previousX;
      const edgeY = currentY - previousY;
      const lengthSquared = edgeX * edgeX + edgeY * edgeY;
      let along = lengthSquared > 0 ? ((x - previousX) * edgeX + (y - previousY) * edgeY) / lengthSquared : 0;
      along = Math.max(0, Math.min(1, along));
      const dx = previousX + along * edgeX - x;
      const dy = previousY + along * edgeY - y;
      nearestSquared = Math.min(nearestSquared, dx * dx + dy * dy);
      previousX = currentX;
      previousY = currentY;
    }
  }
  return Math.sqrt(nearestSquared);
}

/** Bounding box [minX, minY, maxX, maxY] of the rings, in km. */
export function ringsBounds(rings: readonly PlaneRing[]): [number, number, number, number] {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const ring of rings) {
    for (let index = 0; index < ring.length; index += 2) {
      minX = Math.min(minX, ring[index]!);
      maxX = Math.max(maxX, ring[index]!);
      minY = Math.min(minY, ring[index + 1]!);
      maxY = Math.max(maxY, ring[index + 1]!);
    }
  }
  return [minX, minY, maxX, maxY];
}
