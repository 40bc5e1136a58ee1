import { distanceToRings, type PlaneRing, ringsBounds, ringsContain } from './plane-rings';
import type { RandomStream } from './seeded-random';

/**
 * How the households of a cell are laid out: evenly over a town block, around a main street in a township
 * seat, or in a few hamlets (院落, 组) in the countryside.
 */
export type SettlementPattern = 'urban' | 'town' | 'rural';

/** Households keep this far (km) from their cell's boundary, so rounding can never put one across it. */
const HOUSEHOLD_BOUNDARY_MARGIN_KM = 0.005;

/**
 * Places `count` household points strictly inside a cell, each at least 5 m from the cell's boundary, in the
 * cell's settlement pattern. Points are drawn by rejection; if a cell is too thin to take a point that way,
 * points go near `anchor` (a point well inside the cell, such as its pole of inaccessibility).
 *
 * @param rings the cell's rings in the km plane (shells and holes, even-odd).
 * @returns household positions [x, y] in km.
 */
export function placeHouseholds(
  rings: readonly PlaneRing[],
  count: number,
  pattern: SettlementPattern,
  random: RandomStream,
  anchor: { x: number; y: number; distance: number },
): [number, number][] {
  const [minX, minY, maxX, maxY] = ringsBounds(rings);
  const fits = (x: number, y: number): boolean =>
    ringsContain(rings, x, y) && distanceToRings(rings, x, y) >= HOUSEHOLD_BOUNDARY_MARGIN_KM;
  const nearAnchor = (): [number, number] => {
    const reach = Math.max(0, anchor.distance - HOUSEHOLD_BOUNDARY_MARGIN_KM) * 0.9;
    for (let attempt = 0; attempt < 20; attempt++) {
      const x = anchor.x + random.uniform(-reach, reach) * Math.SQRT1_2;
      const y = anchor.y + random.uniform(-reach, reach) * Math.SQRT1_2;
      if (fits(x, y)) return [x, y];
    }
    return [anchor.x, anchor.y];
  };
  const anywhere = (): [number, number] => {
    for (let attempt = 0; attempt < 400; attempt++) {
      const x = random.uniform(minX, maxX);
      const y = random.uniform(minY, maxY);
      if (fits(x, y)) return [x, y];
    }
    return nearAnchor();
  };
  const around = (centre: [number, number], spread: number): [number, number] => {
    for (let attempt = 0; attempt < 30; attempt++) {
      const x = centre[0] + spread * random.normal();
      const y = centre[1] + spread * random.normal();
      if (fits(x, y)) return [x, y];
    }
    return anywhere();
  };

  if (pattern === 'urban') return Array.from({ length: count }, anywhere);
  if (pattern === 'town') {
    const street = anywhere();
    return Array.from({ length: count }, () => (random.next() < 0.7 ? around(street, 0.06) : anywhere()));
  }
  const hamletCount = Math.max(1, Math.min(5, Math.round(count / 10) + random.integer(-1, 2)));
  const hamlets = Array.from({ length: hamletCount }, () => ({
    centre: anywhere(),
    size: random.uniform(0.5, 1.5),
    spread: random.uniform(0.04, 0.12),
  }));
  const sizes = hamlets.map((hamlet) => hamlet.size);
  return Array.from({ length: count }, () => {
    if (random.next() < 0.1) return anywhere();
    const hamlet = hamlets[random.weightedIndex(sizes)]!;
    return around(hamlet.centre, hamlet.spread);
  });
}
