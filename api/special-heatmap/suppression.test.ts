import { describe, expect, it } from 'vitest';
import { type Atom, totalOf, unitFigures } from './suppression.ts';

const atom = (month: string, unit: string, category: string, people: number, value = people): Atom => ({
  month,
  unit,
  category,
  people,
  value,
});
const MENTAL = 'severe_mental_illness';
const RENTAL = 'rental_house';
const DRUG = 'drug_rehabilitation';

describe('unitFigures', () => {
  it.each([
    [4, null],
    [5, 7],
  ])('a unit of %i people gives %s', (people, expected) => {
    const [figure] = unitFigures([atom('2026-01', 'u', MENTAL, people, 7)], { categories: null, exact: false });
    expect(figure?.value ?? null).toBe(expected);
  });

  it('withdraws the smallest published category when the others would hold 1-4 people', () => {
    const atoms = [atom('2026-01', 'u', MENTAL, 6), atom('2026-01', 'u', DRUG, 7), atom('2026-01', 'u', RENTAL, 2)];
    const only = (category: string) => unitFigures(atoms, { categories: new Set([category]), exact: false })[0]?.value;
    // All − drug − mental would be the 2 rental houses: mental (the smaller) goes too, so the rest holds 8.
    expect(only(MENTAL)).toBeNull();
    expect(only(DRUG)).toBe(7);
    expect(only(RENTAL)).toBeNull();
    expect(unitFigures(atoms, { categories: null, exact: false })[0]?.value).toBe(15);
  });

  it('publishes a period only when every month does; an empty month adds nothing', () => {
    const atoms = [atom('2026-01', 'u', MENTAL, 6), atom('2026-02', 'u', MENTAL, 2)];
    expect(unitFigures(atoms, { categories: null, exact: false })[0]).toEqual({ unit: 'u', value: null, suppressed: true });
    expect(unitFigures(atoms, { categories: null, exact: true })[0]).toEqual({ unit: 'u', value: 8, suppressed: false });
  });

  it('sums only the published units', () => {
    const figures = unitFigures([atom('2026-01', 'a', MENTAL, 6), atom('2026-01', 'b', MENTAL, 3)], {
      categories: null,
      exact: false,
    });
    expect(totalOf(figures)).toEqual({ publishedSum: 6, suppressedUnits: 1 });
  });
});
