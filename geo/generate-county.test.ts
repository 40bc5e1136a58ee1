import { area, bbox, booleanPointInPolygon } from '@turf/turf';
import { beforeAll, describe, expect, it } from 'vitest';
import { levelOfCode, parentCode } from './area-codes';
import { cleanOutline } from './clean-outline';
import { COUNTY_SEAT } from './county-presets';
import { generateCounty } from './generate-county';
import { loadReferenceCounty } from './reference-county';
import type { AreaLevel, GeneratedArea, GeneratedCounty, PersonRole } from './types';
import { validateTiling } from './validate-tiling';

const reference = loadReferenceCounty();
/** Departments as the generator sees them (the county's own list lives in api/departments). */
const departments = Array.from({ length: 65 }, (_, index) => ({
  code: `D${String(index + 1).padStart(2, '0')}`,
  name: `部门${index + 1}`,
}));
let county: GeneratedCounty;
let sameSeed: GeneratedCounty;
let otherSeed: GeneratedCounty;

const atLevel = (level: AreaLevel): GeneratedArea[] => county.areas.filter((item) => item.level === level);
const byCode = (code: string): GeneratedArea | undefined => county.areas.find((item) => item.code === code);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

beforeAll(() => {
  county = generateCounty(reference, { seed: 1, preset: 'small', departments });
  sameSeed = generateCounty(reference, { seed: 1, preset: 'small', departments });
  otherSeed = generateCounty(reference, { seed: 2, preset: 'small', departments });
});

describe('generateCounty, small preset', () => {
  it.each([
    ['county', 1],
    ['township', 4],
    ['village', 14],
    ['grid', 20],
    ['cell', 160],
  ] as const)('makes %s areas: %d', (level, count) => {
    expect(atLevel(level)).toHaveLength(count);
  });

  it.each([
    ['511921001', '壁州街道', 'street'],
    ['511921100', '诺江镇', 'town'],
    ['511921108', '沙溪镇', 'town'],
    ['511921112', '涪阳镇', 'town'],
    ['511921108209', '王坪村', 'village'],
    ['511921112200', '红江村', 'village'],
    ['511921001001', '城南社区', 'community'],
  ])('keeps the real area %s %s, a %s', (code, name, kind) => {
    expect(byCode(code)).toMatchObject({ name, kind });
  });

  it('is deterministic: the same seed gives the same JSON, another seed another county', () => {
    const json = JSON.stringify(county);
    expect(JSON.stringify(sameSeed)).toBe(json);
    expect(JSON.stringify(otherSeed)).not.toBe(json);
    const realCodes = (generated: GeneratedCounty): string[] =>
      generated.areas.filter((item) => item.code.length <= 12).map((item) => item.code);
    expect(realCodes(otherSeed)).toEqual(realCodes(county));
  });

  it('nests codes: each code has its level length and starts with its parent code', () => {
    for (const item of county.areas) {
      expect(levelOfCode(item.code)).toBe(item.level);
      expect(item.parentCode).toBe(parentCode(item.code));
      if (item.parentCode) expect(byCode(item.parentCode)).toBeDefined();
    }
    expect(new Set(county.areas.map((item) => item.code)).size).toBe(county.areas.length);
  });

  it('names grids and cells after their village and number', () => {
    const grid = byCode('511921108209001');
    expect(grid?.name).toBe('王坪村第1网格');
    for (const cell of atLevel('cell')) {
      const gridNumber = Number(cell.code.slice(12, 15));
      const cellNumber = Number(cell.code.slice(15, 18));
      const village = byCode(cell.code.slice(0, 12))!;
      expect(cell.name).toBe(`${village.name}第${gridNumber}网格${cellNumber}单元`);
    }
  });

  it('sums households and population exactly up the tree', () => {
    for (const parent of county.areas.filter((item) => item.level !== 'cell')) {
      const children = county.areas.filter((item) => item.parentCode === parent.code);
      expect(parent.households).toBe(children.reduce((sum, child) => sum + child.households, 0));
      expect(parent.population).toBe(children.reduce((sum, child) => sum + child.population, 0));
    }
    const cellHouseholds = new Map<string, { households: number; residents: number }>();
    for (const household of county.households) {
      const tally = cellHouseholds.get(household.cellCode) ?? { households: 0, residents: 0 };
      tally.households++;
      tally.residents += household.residents;
      cellHouseholds.set(household.cellCode, tally);
    }
    for (const cell of atLevel('cell'))
      expect(cellHouseholds.get(cell.code)).toEqual({ households: cell.households, residents: cell.population });
    expect(county.areas[0]?.households).toBe(4000);
  });

  it('gives each cell 20 to 45 households of 1 to 6 residents, about 2.9 on average', () => {
    for (const cell of atLevel('cell')) {
      expect(cell.households).toBeGreaterThanOrEqual(20);
      expect(cell.households).toBeLessThanOrEqual(45);
    }
    const residents = county.households.map((household) => household.residents);
    expect(Math.min(...residents)).toBe(1);
    expect(Math.max(...residents)).toBe(6);
    expect(county.areas[0]!.population / county.households.length).toBeCloseTo(2.9, 0);
  });

  it('codes households as cell code + 4 digits with a door address', () => {
    for (const household of county.households) {
      expect(household.code).toMatch(new RegExp(`^${household.cellCode}\\d{4}$`));
    }
    const wangping = county.households.find((household) => household.cellCode.startsWith('511921108209'));
    expect(wangping?.address).toMatch(/^王坪村\d+组\d+号$/);
  });

  it('tiles every parent with its children: no gap, no overlap, nothing outside, valid rings', () => {
    const report = validateTiling(county.areas, { households: county.households });
    expect(report.counts).toEqual({ county: 1, township: 4, village: 14, grid: 20, cell: 160 });
    expect(report.maxGapM2).toBeLessThan(1);
    expect(report.maxOverlapM2).toBeLessThan(1);
    expect(report.maxOutsideM2).toBeLessThan(1);
    expect(report.orphans).toEqual([]);
    expect(report.invalidRings).toEqual([]);
    expect(report.misplacedHouseholds).toEqual([]);
    for (const parent of report.parents) {
      expect(Math.abs(parent.parentAreaM2 - parent.childrenAreaM2)).toBeLessThan(1e-6 * parent.parentAreaM2);
    }
  });

  it('shares every inner cell edge with a neighbour, vertex for vertex, and every outer one with the county', () => {
    const directedEdges = (items: GeneratedArea[]): Set<string> => {
      const edges = new Set<string>();
      for (const item of items) {
        for (const ring of item.geometry.coordinates.flat()) {
          for (let index = 0; index + 1 < ring.length; index++) edges.add(`${ring[index]}>${ring[index + 1]}`);
        }
      }
      return edges;
    };
    const cellEdges = directedEdges(atLevel('cell'));
    const countyEdges = directedEdges(atLevel('county'));
    const unmatched = [...cellEdges].filter((edge) => {
      const [from, to] = edge.split('>');
      return !cellEdges.has(`${to}>${from}`) && !countyEdges.has(edge);
    });
    expect(unmatched).toEqual([]);
    expect(cellEdges.size).toBeGreaterThan(countyEdges.size);
  });

  it('covers exactly the real outline', () => {
    const outline = cleanOutline(reference.outline);
    const geometry = county.areas[0]!.geometry;
    expect(area(geometry)).toBeCloseTo(area(outline), -1);
    expect(bbox(geometry)).toEqual(bbox(outline).map((value) => expect.closeTo(value, 7)));
  });

  it('writes coordinates rounded to 1e-7 degrees', () => {
    for (const item of county.areas) {
      for (const position of item.geometry.coordinates.flat(2)) {
        for (const value of position) expect(Math.abs(value * 1e7 - Math.round(value * 1e7))).toBeLessThan(1e-5);
      }
    }
  });

  it('puts every label point inside its area', () => {
    for (const item of county.areas) expect(booleanPointInPolygon(item.labelPoint, item.geometry)).toBe(true);
  });

  it('centres the city-centre street on the county seat', () => {
    expect(byCode('511921001')?.labelPoint).toEqual([expect.closeTo(COUNTY_SEAT[0], 1), expect.closeTo(COUNTY_SEAT[1], 1)]);
  });

  it('makes urban cells smaller than rural ones', () => {
    const cellAreas = (urban: boolean): number[] =>
      atLevel('cell')
        .filter((cell) => cell.urban === urban)
        .map((cell) => area(cell.geometry));
    expect(median(cellAreas(true)) * 5).toBeLessThan(median(cellAreas(false)));
  });

  it.each([
    ['township_commander', 4],
    ['grid_chief', 14],
    ['grid_worker', 20],
    ['cell_informant', 160],
    ['department_cadre', 65],
  ] as [PersonRole, number][])('staffs %s: %d people', (role, count) => {
    expect(county.people.filter((person) => person.role === role)).toHaveLength(count);
  });

  it('places people in areas of their level, cadres in grids for every department', () => {
    const levelOfRole: Record<PersonRole, AreaLevel> = {
      township_commander: 'township',
      grid_chief: 'village',
      grid_worker: 'grid',
      cell_informant: 'cell',
      department_cadre: 'grid',
    };
    for (const person of county.people) {
      expect(byCode(person.areaCode)?.level).toBe(levelOfRole[person.role]);
      expect(person.phone).toMatch(/^1\d{10}$/);
      expect(person.name).toMatch(/^\p{Script=Han}{2,3}$/u);
    }
    expect(new Set(county.people.map((person) => person.id)).size).toBe(county.people.length);
    expect(new Set(county.people.map((person) => person.phone)).size).toBe(county.people.length);
    const cadreDepartments = new Set(
      county.people.filter((person) => person.role === 'department_cadre').map((person) => person.departmentCode),
    );
    expect(cadreDepartments).toEqual(new Set(departments.map((department) => department.code)));
  });
});
