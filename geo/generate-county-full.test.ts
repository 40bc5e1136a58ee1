import { area } from '@turf/turf';
import { beforeAll, describe, expect, it } from 'vitest';
import { levelOfCode, parentCode } from './area-codes';
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

const atLevel = (level: AreaLevel): GeneratedArea[] => county.areas.filter((item) => item.level === level);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const squareKilometres = (item: GeneratedArea): number => area(item.geometry) / 1e6;

beforeAll(() => {
  county = generateCounty(reference, { seed: 1, preset: 'full', departments });
});

describe('generateCounty, full preset (Tongjiang at its real scale)', () => {
  it.each([
    ['county', 1],
    ['township', 33],
    ['village', 367],
    ['grid', 561],
    ['cell', 7709],
  ] as const)('makes %s areas: %d', (level, count) => {
    expect(atLevel(level)).toHaveLength(count);
  });

  it('keeps every real township and village code and name, 43 of them communities', () => {
    expect(atLevel('township').map((item) => [item.code, item.name])).toEqual(
      reference.townships.map((item) => [item.code, item.name]),
    );
    expect(atLevel('village').map((item) => [item.code, item.name])).toEqual(
      reference.villages.map((item) => [item.code, item.name]),
    );
    expect(atLevel('village').filter((item) => item.kind === 'community')).toHaveLength(43);
    expect(
      atLevel('township')
        .filter((item) => item.kind === 'street')
        .map((item) => item.name),
    ).toEqual(['壁州街道']);
    expect(atLevel('township').filter((item) => item.kind === 'xiang')).toHaveLength(2);
  });

  it('nests codes', () => {
    for (const item of county.areas) {
      expect(levelOfCode(item.code)).toBe(item.level);
      expect(item.parentCode).toBe(parentCode(item.code));
    }
  });

  it('has 250,000 households and about 720,000 residents, some 200,000–250,000 of them in the urban core', () => {
    const root = county.areas[0]!;
    expect(county.households).toHaveLength(250_000);
    expect(root.households).toBe(250_000);
    expect(Math.abs(root.population - 720_000) / 720_000).toBeLessThan(0.02);
    const urban = atLevel('township').filter((item) => item.urban);
    expect(urban.map((item) => item.name)).toEqual(['壁州街道', '诺江镇']);
    const urbanPopulation = urban.reduce((sum, item) => sum + item.population, 0);
    expect(urbanPopulation).toBeGreaterThan(200_000);
    expect(urbanPopulation).toBeLessThan(250_000);
  });

  it('sums population up the tree', () => {
    const sums = new Map<string, number>();
    for (const item of county.areas)
      if (item.parentCode) sums.set(item.parentCode, (sums.get(item.parentCode) ?? 0) + item.population);
    for (const item of county.areas) if (item.level !== 'cell') expect(item.population).toBe(sums.get(item.code));
  });

  it('tiles: children sum to their parent within 1e-6, every ring valid, every household in its cell', () => {
    const report = validateTiling(county.areas, { method: 'area-sum', overlaps: false, households: county.households });
    for (const parent of report.parents) {
      expect(Math.abs(parent.parentAreaM2 - parent.childrenAreaM2)).toBeLessThan(1e-6 * parent.parentAreaM2);
    }
    expect(report.invalidRings).toEqual([]);
    expect(report.misplacedHouseholds).toEqual([]);
    expect(report.orphans).toEqual([]);
  });

  it('sizes townships like an admin map: rural 60–200 km², the urban pair 20–60 km²', () => {
    for (const township of atLevel('township')) {
      const size = squareKilometres(township);
      if (township.urban) expect(size).toSatisfy((value: number) => value >= 20 && value <= 60);
      else expect(size).toSatisfy((value: number) => value >= 60 && value <= 200);
    }
  });

  it('makes urban cells small and rural cells large', () => {
    const urban = median(
      atLevel('cell')
        .filter((cell) => cell.urban)
        .map(squareKilometres),
    );
    const rural = median(
      atLevel('cell')
        .filter((cell) => !cell.urban)
        .map(squareKilometres),
    );
    expect(urban).toBeLessThan(0.1);
    expect(rural).toBeGreaterThan(0.3);
  });

  it('gives grids about 8–25 cells and cells 20–45 households', () => {
    const cellsPerGrid = new Map<string, number>();
    for (const cell of atLevel('cell')) cellsPerGrid.set(cell.parentCode!, (cellsPerGrid.get(cell.parentCode!) ?? 0) + 1);
    const sizes = [...cellsPerGrid.values()];
    expect(Math.max(...sizes)).toBeLessThanOrEqual(25);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(4);
    expect(median(sizes)).toSatisfy((value: number) => value >= 10 && value <= 16);
    const households = atLevel('cell').map((cell) => cell.households);
    expect(Math.min(...households)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...households)).toBeLessThanOrEqual(45);
  });

  it('keeps the areas in one piece, except where the outline itself has separate pieces', () => {
    // Tongjiang's outline has two exclaves and a lobe touching the main body at one vertex: three extra pieces,
    // so at most three areas per level have more than one part.
    for (const level of ['township', 'village', 'grid', 'cell'] as const) {
      expect(atLevel(level).filter((item) => item.geometry.coordinates.length > 1).length).toBeLessThanOrEqual(3);
    }
  });

  it.each([
    ['township_commander', 33],
    ['grid_chief', 367],
    ['grid_worker', 561],
    ['cell_informant', 7709],
    ['department_cadre', 561],
  ] as [PersonRole, number][])('staffs %s: %d people', (role, count) => {
    expect(county.people.filter((person) => person.role === role)).toHaveLength(count);
  });

  it('spreads the 561 cadres over all 65 departments, one per grid', () => {
    const cadres = county.people.filter((person) => person.role === 'department_cadre');
    expect(new Set(cadres.map((person) => person.areaCode)).size).toBe(561);
    const perDepartment = new Map<string, number>();
    for (const cadre of cadres) perDepartment.set(cadre.departmentCode!, (perDepartment.get(cadre.departmentCode!) ?? 0) + 1);
    expect(perDepartment.size).toBe(65);
    expect([...perDepartment.values()].every((count) => count === 8 || count === 9)).toBe(true);
  });
});
