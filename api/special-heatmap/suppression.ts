/**
 * Suppression of special-population aggregates for readers without personal access (DESIGN.md
 * "Security", issue 17): no published figure may let anyone work out a group of fewer than
 * MIN_PEOPLE people, however many queries they combine.
 *
 * The argument. Every figure is built from atoms: one measure, one calendar month (Asia/Shanghai),
 * one fixed unit (a hexagon of the one size open to these readers) and one category, with its
 * value and the distinct people behind it. An atom is *open* when it holds no one or at least
 * MIN_PEOPLE people. Then:
 *
 * - Categories. In a month × unit, the categories that are open form the published set; the total
 *   of all categories is published when it is open. All − Σ(published) is the people of the
 *   unpublished categories: if that remainder holds 1-4 people, the smallest published category is
 *   withdrawn too (complementary suppression), until it holds none or at least MIN_PEOPLE. A figure
 *   for a set of categories is all categories' total, or a sum of published categories; so two
 *   category filters that differ by one category differ by that one category's published figure.
 * - Months. A period's figure for a unit is the sum of its month figures, published only when each
 *   month's is; so two periods differ by whole months, each of which was published on its own.
 * - Areas. Unit values never depend on the area asked for (hexagons are counted over the reader's
 *   whole reach; the area only chooses which to return), so two overlapping areas give identical
 *   values for the units they share; and the total of an answer is the sum of its published units
 *   only (never a true total), so a total minus its parts is zero and says nothing of a suppressed unit.
 * - Units. Aggregate-only readers get one unit system (hexagons of one size): two partitions of the
 *   same people (cells and hexagons, or two hexagon sizes) could be differenced against each other.
 *
 * So every published number is a sum of open atoms, each of which is published by itself too:
 * nothing published depends on an atom that is not, and no combination of answers can.
 */
export const MIN_PEOPLE = 5;

/** One atom as the repository counts it. */
export interface Atom {
  month: string;
  unit: string;
  category: string;
  /** The measure's value: visits made, or entries overdue. */
  value: number;
  /** Distinct people behind `value`. */
  people: number;
}

export interface UnitFigure {
  unit: string;
  /** Null when suppressed. */
  value: number | null;
  suppressed: boolean;
}

const isOpen = (people: number) => people === 0 || people >= MIN_PEOPLE;

/**
 * The figure of one month × unit for `categories` (null: all), or null when it is suppressed. The
 * atoms are that month × unit's, one per category that has any.
 */
function monthFigure(atoms: readonly Atom[], categories: ReadonlySet<string> | null): number | null {
  const totalPeople = atoms.reduce((sum, atom) => sum + atom.people, 0);
  if (!categories) return isOpen(totalPeople) ? atoms.reduce((sum, atom) => sum + atom.value, 0) : null;
  const published = atoms.filter((atom) => atom.people >= MIN_PEOPLE).sort((a, b) => a.people - b.people);
  let remainder = totalPeople - published.reduce((sum, atom) => sum + atom.people, 0);
  while (remainder > 0 && remainder < MIN_PEOPLE && published.length > 0) {
    remainder += published.shift()?.people ?? 0;
  }
  const open = new Set(published.map((atom) => atom.category));
  let value = 0;
  for (const atom of atoms) {
    if (!categories.has(atom.category)) continue;
    if (!open.has(atom.category)) return null;
    value += atom.value;
  }
  return value;
}

/**
 * The published figure of each unit over the period: exact for readers with personal access, else
 * suppressed as above. `categories` null asks for all of them. Units holding no atom are left out.
 */
export function unitFigures(
  atoms: readonly Atom[],
  options: { categories: ReadonlySet<string> | null; exact: boolean },
): UnitFigure[] {
  const byUnit = new Map<string, Map<string, Atom[]>>();
  for (const atom of atoms) {
    const months = byUnit.get(atom.unit) ?? new Map<string, Atom[]>();
    byUnit.set(atom.unit, months);
    months.set(atom.month, [...(months.get(atom.month) ?? []), atom]);
  }
  const figures: UnitFigure[] = [];
  const chosen = (atom: Atom) => options.categories?.has(atom.category) ?? true;
  for (const [unit, months] of byUnit) {
    if (![...months.values()].some((monthAtoms) => monthAtoms.some(chosen))) continue;
    let value: number | null = 0;
    for (const monthAtoms of months.values()) {
      const figure = options.exact
        ? monthAtoms.filter(chosen).reduce((sum, atom) => sum + atom.value, 0)
        : monthFigure(monthAtoms, options.categories);
      if (figure === null) {
        value = null;
        break;
      }
      value += figure;
    }
    figures.push({ unit, value, suppressed: value === null });
  }
  return figures.sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
}

/** The sum of the published figures (never a true total: see above) and how many were suppressed. */
export function totalOf(figures: readonly UnitFigure[]) {
  return {
    publishedSum: figures.reduce((sum, figure) => sum + (figure.value ?? 0), 0),
    suppressedUnits: figures.filter((figure) => figure.suppressed).length,
  };
}
