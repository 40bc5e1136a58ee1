import type { MultiPolygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { AreaLevel, GeneratedArea, GeneratedHousehold } from './types';
import { validateTiling } from './validate-tiling';

/** A rectangle [west, south, east, north] in degrees as a counter-clockwise MultiPolygon. */
const rectangle = (west: number, south: number, east: number, north: number): MultiPolygon => ({
  type: 'MultiPolygon',
  coordinates: [
    [
      [
        [west, south],
        [east, south],
        [east, north],
        [west, north],
        [west, south],
      ],
    ],
  ],
});

const area = (code: string, level: AreaLevel, parentCode: string | null, geometry: MultiPolygon): GeneratedArea => ({
  code,
  level,
  kind: level === 'township' ? 'town' : level,
  name: code,
  parentCode,
  urban: false,
  population: 0,
  households: 0,
  geometry,
  labelPoint: [0, 0],
});

const household = (code: string, cellCode: string, position: Position): GeneratedHousehold => ({
  code,
  cellCode,
  residents: 3,
  address: '',
  position: { type: 'Point', coordinates: position },
});

const county = area('511921', 'county', null, rectangle(107, 32, 107.02, 32.01));
/** About 1.9 km × 1.1 km: one square degree of longitude-latitude here is about 1.05e10 m². */
const halfAreaM2 = 0.01 * 0.01 * 1.05e10;

describe('validateTiling', () => {
  it('finds nothing wrong with two halves that tile their parent', () => {
    const report = validateTiling([
      county,
      area('511921001', 'township', '511921', rectangle(107, 32, 107.01, 32.01)),
      area('511921002', 'township', '511921', rectangle(107.01, 32, 107.02, 32.01)),
    ]);
    expect(report.counts).toEqual({ county: 1, township: 2, village: 0, grid: 0, cell: 0 });
    expect(report.maxGapM2).toBeLessThan(1e-3);
    expect(report.maxOverlapM2).toBe(0);
    expect(report.maxOutsideM2).toBe(0);
    expect(report.invalidRings).toEqual([]);
    expect(report.orphans).toEqual([]);
  });

  it.each([
    {
      case: 'a missing half leaves a gap',
      children: [rectangle(107, 32, 107.01, 32.01)],
      gap: halfAreaM2,
      overlap: 0,
      outside: 0,
    },
    {
      case: 'overlapping halves overlap',
      children: [rectangle(107, 32, 107.0125, 32.01), rectangle(107.0075, 32, 107.02, 32.01)],
      gap: 0,
      overlap: halfAreaM2 / 2,
      outside: 0,
    },
    {
      case: 'a child reaching out of its parent is outside',
      children: [rectangle(107, 32, 107.01, 32.01), rectangle(107.01, 32, 107.03, 32.01)],
      gap: 0,
      overlap: 0,
      outside: halfAreaM2,
    },
  ])('measures it when $case', ({ children, gap, overlap, outside }) => {
    const report = validateTiling([
      county,
      ...children.map((geometry, index) => area(`51192100${index + 1}`, 'township', '511921', geometry)),
    ]);
    expect(report.maxGapM2).toBeCloseTo(gap, -4);
    expect(report.maxOverlapM2).toBeCloseTo(overlap, -4);
    expect(report.maxOutsideM2).toBeCloseTo(outside, -4);
  });

  it('compares areas only with the area-sum method', () => {
    const report = validateTiling([county, area('511921001', 'township', '511921', rectangle(107, 32, 107.01, 32.01))], {
      method: 'area-sum',
      overlaps: false,
    });
    expect(report.parents[0]?.gapM2).toBeCloseTo(halfAreaM2, -4);
    expect(report.parents[0]?.outsideM2).toBe(0);
  });

  it.each([
    {
      problem: 'self-intersection',
      ring: [
        [107, 32],
        [107.01, 32.01],
        [107.01, 32],
        [107, 32.01],
        [107, 32],
      ],
    },
    {
      problem: 'unclosed',
      ring: [
        [107, 32],
        [107.01, 32],
        [107.01, 32.01],
        [107, 32.01],
      ],
    },
    {
      problem: 'too-few-positions',
      ring: [
        [107, 32],
        [107.01, 32],
        [107, 32],
      ],
    },
    {
      problem: 'wrong-orientation',
      ring: [
        [107, 32],
        [107, 32.01],
        [107.01, 32.01],
        [107.01, 32],
        [107, 32],
      ],
    },
    {
      problem: 'repeated-position',
      ring: [
        [107, 32],
        [107.01, 32],
        [107.01, 32.01],
        [107.005, 32.005],
        [107.01, 32],
        [107.02, 32.02],
        [107, 32],
      ],
    },
  ])('reports a ring with a $problem', ({ problem, ring }) => {
    const broken = area('511921', 'county', null, { type: 'MultiPolygon', coordinates: [[ring]] });
    expect(validateTiling([broken]).invalidRings.map((finding) => finding.problem)).toContain(problem);
  });

  it('reports households outside their own cell', () => {
    const cells = [
      area('511921001001001001', 'cell', null, rectangle(107, 32, 107.01, 32.01)),
      area('511921001001001002', 'cell', null, rectangle(107.01, 32, 107.02, 32.01)),
    ];
    const report = validateTiling(cells, {
      households: [
        household('5119210010010010010001', '511921001001001001', [107.005, 32.005]),
        household('5119210010010010010002', '511921001001001001', [107.015, 32.005]),
        household('5119210010010010010003', '511921001001001001', [107.03, 32.005]),
      ],
    });
    expect(report.misplacedHouseholds).toEqual([
      { code: '5119210010010010010002', cellCode: '511921001001001001', containingCells: 1, insideOwnCell: false },
      { code: '5119210010010010010003', cellCode: '511921001001001001', containingCells: 0, insideOwnCell: false },
    ]);
  });
});
