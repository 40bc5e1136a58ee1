import { compareCodes } from './area-codes';
import type { RandomStream } from './seeded-random';
import { createPeopleFactory } from './synthetic-people';
import type { Department, GeneratedArea, GeneratedPerson, PersonRole } from './types';

/** Who is responsible at each level, and the prefix of their id. */
const ROLE_OF_LEVEL = [
  { level: 'township', role: 'township_commander', prefix: 'commander' },
  { level: 'village', role: 'grid_chief', prefix: 'chief' },
  { level: 'grid', role: 'grid_worker', prefix: 'worker' },
  { level: 'cell', role: 'cell_informant', prefix: 'informant' },
] as const satisfies readonly { level: GeneratedArea['level']; role: PersonRole; prefix: string }[];

/**
 * Staffs the county's grid network ("1+4+N"): a commander (指挥长) per township, a grid chief (网格长) per
 * village or community, a grid worker (网格员) per grid, an informant (单元格信息员) per cell, and department
 * cadres placed in grids (部门干部下沉网格).
 *
 * Cadres: as many as there are grids or departments, whichever is more. The k-th cadre goes to the k-th grid
 * (by code, cycling) and to the k-th department of a seeded shuffle (cycling): with 561 grids every grid gets
 * one cadre and every department 8 or 9 grids spread over the county; with fewer grids than departments (the
 * small preset) every department still has exactly one cadre.
 *
 * Ids are the role prefix and the area code (and the department code for cadres): `worker-511921108209001`,
 * `cadre-511921108209001-D12`. Names and phone numbers are synthetic.
 *
 * @param areas any order; people come out ordered by role, then area code.
 */
export function staffCounty(
  areas: readonly GeneratedArea[],
  departments: readonly Department[],
  random: RandomStream,
): GeneratedPerson[] {
  const people = createPeopleFactory(random);
  const person = (role: PersonRole, id: string, areaCode: string, departmentCode: string | null): GeneratedPerson => ({
    id,
    name: people.name(),
    role,
    areaCode,
    phone: people.phone(),
    departmentCode,
  });
  const codesAt = (level: GeneratedArea['level']): string[] =>
    areas
      .filter((area) => area.level === level)
      .map((area) => area.code)
      .sort(compareCodes);

  const staff = ROLE_OF_LEVEL.flatMap(({ level, role, prefix }) =>
    codesAt(level).map((code) => person(role, `${prefix}-${code}`, code, null)),
  );
  const grids = codesAt('grid');
  const departmentOrder = random.shuffle([...departments]);
  if (grids.length === 0 || departmentOrder.length === 0) return staff;
  const cadreCount = Math.max(grids.length, departmentOrder.length);
  for (let cadre = 0; cadre < cadreCount; cadre++) {
    const grid = grids[cadre % grids.length]!;
    const department = departmentOrder[cadre % departmentOrder.length]!;
    staff.push(person('department_cadre', `cadre-${grid}-${department.code}`, grid, department.code));
  }
  return staff;
}
