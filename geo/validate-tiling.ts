import {
  area,
  bbox,
  booleanPointInPolygon,
  difference,
  featureCollection,
  intersect,
  kinks,
  lineString,
  polygon,
  union,
} from '@turf/turf';
import type { BBox, Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { AREA_LEVELS, type AreaLevel, type GeneratedArea, type GeneratedHousehold } from './types';

export interface ValidateTilingOptions {
  /**
   * 'exact' (default) unions each parent's children with turf and measures what of the parent they miss and
   * what of them lies outside it. 'area-sum' only compares the parent's area with the sum of its children's:
   * fast enough for the full county's 7,709 cells, but blind to a gap that an overlap elsewhere hides.
   */
  method?: 'exact' | 'area-sum';
  /** Measure pairwise overlaps of siblings (bounding-box prefilter, then turf.intersect). Default true. */
  overlaps?: boolean;
  /** Look for self-intersections with turf.kinks, which is quadratic in a ring's vertices. Default true. */
  kinks?: boolean;
  /** Households to check: each must be inside its own cell and in no other. */
  households?: readonly GeneratedHousehold[];
}

/** How well one parent is tiled by its children. Areas are on the sphere (turf.area), in m². */
interface ParentTiling {
  parentCode: string;
  childLevel: AreaLevel;
  childCount: number;
  parentAreaM2: number;
  childrenAreaM2: number;
  /** Exact: parent area covered by no child. Area-sum: parent area minus children's (negative if they overlap). */
  gapM2: number;
  /** Exact: children's area outside the parent. Area-sum: 0, not measured. */
  outsideM2: number;
}

interface SiblingOverlap {
  codes: [string, string];
  areaM2: number;
}

type RingProblem =
  | 'unclosed'
  | 'too-few-positions'
  | 'repeated-position'
  | 'self-intersection'
  | 'rings-cross'
  | 'wrong-orientation';

interface InvalidRing {
  code: string;
  /** Index of the polygon in the MultiPolygon and of the ring in the polygon (0 = shell). */
  polygon: number;
  ring: number;
  problem: RingProblem;
  /** Where, [lng, lat], when the problem is at a point. */
  at?: Position;
}

interface MisplacedHousehold {
  code: string;
  cellCode: string;
  /** How many cells contain the point: it should be exactly one, its own. */
  containingCells: number;
  insideOwnCell: boolean;
}

/** Everything validateTiling found. A clean tiling has no findings and maxima far below 1 m². */
export interface TilingReport {
  counts: Record<AreaLevel, number>;
  parents: ParentTiling[];
  /** Children whose parent code names no area. */
  orphans: string[];
  /** Sibling pairs that overlap by more than 0 m². */
  overlaps: SiblingOverlap[];
  invalidRings: InvalidRing[];
  misplacedHouseholds: MisplacedHousehold[];
  maxGapM2: number;
  maxOutsideM2: number;
  maxOverlapM2: number;
}

const asFeature = (geometry: MultiPolygon): Feature<MultiPolygon> => ({ type: 'Feature', properties: {}, geometry });

function boxesOverlap(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

function polygonArea(feature: Feature<Polygon | MultiPolygon> | null): number {
  return feature ? area(feature) : 0;
}

/** The first problem of one ring, if any: closure, size, repeated points, self-intersection, orientation. */
function ringProblem(ring: Position[], isShell: boolean, checkKinks: boolean): { problem: RingProblem; at?: Position } | null {
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (ring.length < 4) return { problem: 'too-few-positions' };
  if (!first || !last || first[0] !== last[0] || first[1] !== last[1]) return { problem: 'unclosed' };
  const seen = new Set<string>();
  for (const position of ring.slice(0, -1)) {
    const key = `${position[0]},${position[1]}`;
    if (seen.has(key)) return { problem: 'repeated-position', at: position };
    seen.add(key);
  }
  if (checkKinks) {
    const crossing = kinks(lineString(ring)).features[0];
    if (crossing) return { problem: 'self-intersection', at: crossing.geometry.coordinates };
  }
  let twiceArea = 0;
  for (let index = 0; index + 1 < ring.length; index++) {
    twiceArea += ring[index]![0]! * ring[index + 1]![1]! - ring[index + 1]![0]! * ring[index]![1]!;
  }
  if (twiceArea > 0 !== isShell) return { problem: 'wrong-orientation' };
  return null;
}

/** Problems of the rings of one area, and rings of one polygon that cross each other. */
function ringProblems(target: GeneratedArea, checkKinks: boolean): InvalidRing[] {
  const problems: InvalidRing[] = [];
  target.geometry.coordinates.forEach((rings, polygonIndex) => {
    rings.forEach((ring, ringIndex) => {
      const problem = ringProblem(ring, ringIndex === 0, checkKinks);
      if (problem) problems.push({ code: target.code, polygon: polygonIndex, ring: ringIndex, ...problem });
    });
    if (checkKinks && rings.length > 1) {
      // Rings of one polygon may touch at a vertex (valid) but must not cross.
      const vertices = new Set(rings.flatMap((ring) => ring.map((position) => `${position[0]},${position[1]}`)));
      const crossing = kinks(polygon(rings)).features.find(
        (point) => !vertices.has(`${point.geometry.coordinates[0]},${point.geometry.coordinates[1]}`),
      );
      if (crossing) {
        problems.push({
          code: target.code,
          polygon: polygonIndex,
          ring: -1,
          problem: 'rings-cross',
          at: crossing.geometry.coordinates,
        });
      }
    }
  });
  return problems;
}

/**
 * Checks that generated areas tile each other: for every parent, that its children cover it without gap,
 * without overlapping each other and without reaching outside it; that every ring is valid; and that every
 * household lies in its own cell only. Pure turf, so it runs anywhere. The exact method unions and intersects
 * polygons with turf (polyclip): about 2 s for the small preset, 15 s for the full county (too slow for a unit
 * test there, where the 'area-sum' method and the database's own PostGIS checks take over).
 */
export function validateTiling(areas: readonly GeneratedArea[], options: ValidateTilingOptions = {}): TilingReport {
  const method = options.method ?? 'exact';
  const checkOverlaps = options.overlaps ?? true;
  const checkKinks = options.kinks ?? true;
  const counts = Object.fromEntries(AREA_LEVELS.map((level) => [level, 0])) as Record<AreaLevel, number>;
  const byCode = new Map<string, GeneratedArea>();
  const children = new Map<string, GeneratedArea[]>();
  const orphans: string[] = [];
  for (const item of areas) {
    counts[item.level]++;
    byCode.set(item.code, item);
  }
  for (const item of areas) {
    if (item.parentCode === null) continue;
    if (!byCode.has(item.parentCode)) orphans.push(item.code);
    const list = children.get(item.parentCode);
    if (list) list.push(item);
    else children.set(item.parentCode, [item]);
  }

  const areaOf = new Map<string, number>();
  const measure = (item: GeneratedArea): number => {
    let value = areaOf.get(item.code);
    if (value === undefined) {
      value = area(item.geometry);
      areaOf.set(item.code, value);
    }
    return value;
  };

  const parents: ParentTiling[] = [];
  const overlaps: SiblingOverlap[] = [];
  for (const [parentCode, siblings] of children) {
    const parent = byCode.get(parentCode);
    if (!parent) continue;
    const parentAreaM2 = measure(parent);
    const childrenAreaM2 = siblings.reduce((sum, child) => sum + measure(child), 0);
    let gapM2 = parentAreaM2 - childrenAreaM2;
    let outsideM2 = 0;
    if (method === 'exact') {
      const covered =
        siblings.length === 1
          ? asFeature(siblings[0]!.geometry)
          : union(featureCollection(siblings.map((child) => asFeature(child.geometry))));
      gapM2 = covered ? polygonArea(difference(featureCollection([asFeature(parent.geometry), covered]))) : parentAreaM2;
      outsideM2 = covered ? polygonArea(difference(featureCollection([covered, asFeature(parent.geometry)]))) : 0;
    }
    parents.push({
      parentCode,
      childLevel: siblings[0]!.level,
      childCount: siblings.length,
      parentAreaM2,
      childrenAreaM2,
      gapM2,
      outsideM2,
    });

    if (!checkOverlaps) continue;
    const boxes = siblings.map((child) => bbox(child.geometry));
    for (let first = 0; first < siblings.length; first++) {
      for (let second = first + 1; second < siblings.length; second++) {
        if (!boxesOverlap(boxes[first]!, boxes[second]!)) continue;
        const shared = intersect(
          featureCollection([asFeature(siblings[first]!.geometry), asFeature(siblings[second]!.geometry)]),
        );
        const areaM2 = polygonArea(shared);
        if (areaM2 > 0) overlaps.push({ codes: [siblings[first]!.code, siblings[second]!.code], areaM2 });
      }
    }
  }

  const invalidRings = areas.flatMap((item) => ringProblems(item, checkKinks));
  const misplacedHouseholds = options.households ? findMisplacedHouseholds(areas, options.households) : [];
  return {
    counts,
    parents,
    orphans,
    overlaps,
    invalidRings,
    misplacedHouseholds,
    maxGapM2: parents.reduce((max, parent) => Math.max(max, parent.gapM2), 0),
    maxOutsideM2: parents.reduce((max, parent) => Math.max(max, parent.outsideM2), 0),
    maxOverlapM2: overlaps.reduce((max, overlap) => Math.max(max, overlap.areaM2), 0),
  };
}

/** Households not strictly inside their own cell, or inside more than one cell (bucketed by cell bounding boxes). */
function findMisplacedHouseholds(
  areas: readonly GeneratedArea[],
  households: readonly GeneratedHousehold[],
): MisplacedHousehold[] {
  const cells = areas.filter((item) => item.level === 'cell');
  const boxes = cells.map((cell) => bbox(cell.geometry));
  const bucketSize = 0.01;
  const buckets = new Map<string, number[]>();
  boxes.forEach((box, index) => {
    for (let x = Math.floor(box[0] / bucketSize); x <= Math.floor(box[2] / bucketSize); x++) {
      for (let y = Math.floor(box[1] / bucketSize); y <= Math.floor(box[3] / bucketSize); y++) {
        const key = `${x},${y}`;
        const list = buckets.get(key);
        if (list) list.push(index);
        else buckets.set(key, [index]);
      }
    }
  });
  const misplaced: MisplacedHousehold[] = [];
  for (const household of households) {
    const [lng = 0, lat = 0] = household.position.coordinates;
    const candidates = buckets.get(`${Math.floor(lng / bucketSize)},${Math.floor(lat / bucketSize)}`) ?? [];
    let containingCells = 0;
    let insideOwnCell = false;
    for (const index of candidates) {
      const box = boxes[index]!;
      if (lng < box[0] || lng > box[2] || lat < box[1] || lat > box[3]) continue;
      if (!booleanPointInPolygon(household.position, cells[index]!.geometry, { ignoreBoundary: true })) continue;
      containingCells++;
      if (cells[index]!.code === household.cellCode) insideOwnCell = true;
    }
    if (containingCells === 1 && insideOwnCell) continue;
    misplaced.push({ code: household.code, cellCode: household.cellCode, containingCells, insideOwnCell });
  }
  return misplaced;
}
