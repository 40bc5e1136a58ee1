import type { Language } from '../i18n.ts';

/**
 * Pure helpers of the review page: months of the period, figures as the page prints them, the
 * ranking's order and the choropleth's classes. No React, no fetch: tested on their own.
 */

/** A month as YYYY-MM (Asia/Shanghai), as the review API takes it. */
export type Month = string;

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(text: string | null | undefined): text is Month {
  return typeof text === 'string' && MONTH_PATTERN.test(text);
}

/** The month `delta` months after `month` (before, when negative). */
export function shiftMonth(month: Month, delta: number): Month {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new Error(`not a month: ${month}`);
  const index = Number(match[1]) * 12 + Number(match[2]) - 1 + delta;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The month `now` falls in, in Asia/Shanghai (the county's clock, whatever the browser's zone). */
export function monthOf(now: Date): Month {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 7);
}

/** The default period: the last `count` whole months up to this one. */
export function lastMonths(now: Date, count = 12): { from: Month; to: Month } {
  const to = monthOf(now);
  return { from: shiftMonth(to, -(count - 1)), to };
}

/** Every month from `from` to `to`, inclusive; empty when `from` is after `to`. */
export function monthsBetween(from: Month, to: Month): Month[] {
  const months: Month[] = [];
  for (let month = from; month <= to && months.length < 600; month = shiftMonth(month, 1)) months.push(month);
  return months;
}

/** "2026年6月" / "Jun 2026". */
export function monthLabel(month: Month, lang: Language): string {
  const [year, number] = month.split('-');
  if (lang === 'zh') return `${year}年${Number(number)}月`;
  const name = new Date(Date.UTC(Number(year), Number(number) - 1, 1)).toLocaleString('en', { month: 'short', timeZone: 'UTC' });
  return `${name} ${year}`;
}

/** The codes from the account's scope down to `code`: 511921108 → 511921108209 → 511921108209001. */
export function chainCodes(scopeCode: string, code: string): string[] {
  if (!code.startsWith(scopeCode)) return [scopeCode];
  const chain = [scopeCode];
  for (let length = scopeCode.length + 3; length <= code.length; length += 3) chain.push(code.slice(0, length));
  return chain;
}

/** How a KPI is measured: percent 0-100, a mean duration in minutes, or a 1-5 score shown ×20 on 0-100. */
export type KpiUnit = 'percent' | 'minutes' | 'score';

/**
 * A figure as printed: "87.5%", "3小时20分" / "3 h 20 min", "86.0"; a dash when there is no figure
 * (no case in the denominator).
 */
export function formatKpi(value: number | null, unit: KpiUnit, lang: Language): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (unit === 'percent') return `${value.toFixed(1)}%`;
  if (unit === 'score') return value.toFixed(1);
  return formatMinutes(value, lang);
}

/** A duration: minutes under an hour, hours and minutes under two days, then days and hours. */
export function formatMinutes(minutes: number, lang: Language): string {
  const total = Math.round(minutes);
  const zh = lang === 'zh';
  if (total < 60) return zh ? `${total}分钟` : `${total} min`;
  const hours = Math.floor(total / 60);
  if (hours < 48) {
    const rest = total % 60;
    if (zh) return rest ? `${hours}小时${rest}分` : `${hours}小时`;
    return rest ? `${hours} h ${rest} min` : `${hours} h`;
  }
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  if (zh) return restHours ? `${days}天${restHours}小时` : `${days}天`;
  return restHours ? `${days} d ${restHours} h` : `${days} d`;
}

/** A KPI of a row, as much of it as ordering and colouring need. */
export interface KpiFigure {
  key: string;
  unit: KpiUnit;
  value: number | null;
  grade: string | null;
}

/** A row of a ranking: a name, an overall score and its KPIs. */
export interface RankedRow {
  name: string;
  score: number | null;
  kpis: readonly KpiFigure[];
}

/** What a ranking is ordered by: the name, the overall score, or one KPI's figure. */
export type SortKey = 'name' | 'score' | string;
export type SortDirection = 'asc' | 'desc';

function figureOf(row: RankedRow, key: SortKey): number | null {
  if (key === 'score') return row.score;
  return row.kpis.find((kpi) => kpi.key === key)?.value ?? null;
}

/**
 * The rows ordered by `key`; names by their Chinese collation. Rows without a figure go last in
 * either direction (a township with no case due is neither best nor worst); ties keep their order.
 */
export function sortRows<Row extends RankedRow>(rows: readonly Row[], key: SortKey, direction: SortDirection): Row[] {
  const sign = direction === 'asc' ? 1 : -1;
  if (key === 'name') return [...rows].sort((a, b) => sign * a.name.localeCompare(b.name, 'zh-CN'));
  return rows
    .map((row, index) => ({ row, index, figure: figureOf(row, key) }))
    .sort((a, b) => {
      if (a.figure === null || b.figure === null) {
        if (a.figure === b.figure) return a.index - b.index;
        return a.figure === null ? 1 : -1;
      }
      return sign * (a.figure - b.figure) || a.index - b.index;
    })
    .map((entry) => entry.row);
}

/** The direction a first click on a column sorts in: the best first (shortest times, lowest rework). */
export function firstDirection(key: SortKey, unit: KpiUnit | null, lowerIsBetter = false): SortDirection {
  if (key === 'name') return 'asc';
  return unit === 'minutes' || lowerIsBetter ? 'asc' : 'desc';
}

const GRADE_ORDER = ['A', 'B', 'C', 'D', 'E'] as const;
type GradeLetter = (typeof GRADE_ORDER)[number];

/**
 * The choropleth's class of each area, 0 (best) to 4 (worst), or null without a figure. A graded
 * KPI is classed by its grade (A-E), so the map and the grade column agree; an ungraded one
 * (the mean times, the share handled on the spot) by its rank among the areas shown, in five
 * classes of about equal size, shorter times better.
 */
export function choroplethClasses(figures: readonly { code: string; kpi: KpiFigure | undefined }[]): Map<string, number | null> {
  const classes = new Map<string, number | null>();
  const graded = figures.some((figure) => figure.kpi?.grade);
  const ranked = figures
    .filter((figure) => figure.kpi && figure.kpi.value !== null)
    .sort((a, b) => {
      const lowerIsBetter = a.kpi?.unit === 'minutes';
      const difference = (a.kpi?.value ?? 0) - (b.kpi?.value ?? 0);
      return lowerIsBetter ? difference : -difference;
    });
  for (const figure of figures) {
    const kpi = figure.kpi;
    if (!kpi || kpi.value === null) {
      classes.set(figure.code, null);
    } else if (graded) {
      const index = GRADE_ORDER.indexOf(kpi.grade as GradeLetter);
      classes.set(figure.code, index >= 0 ? index : null);
    } else {
      // Equal figures share the class of the first of them.
      const rank = ranked.findIndex((entry) => entry.kpi?.value === kpi.value);
      classes.set(figure.code, Math.min(4, Math.floor((rank * 5) / ranked.length)));
    }
  }
  return classes;
}

/** Colours of the five classes and grades, A (green) to E (red), legible on light and dark ground. */
export const CLASS_COLORS = ['#1f9d55', '#7cbf3a', '#e3b505', '#ef7d22', '#d6333f'] as const;
/** An area without a figure. */
export const NO_DATA_COLOR = '#8a94a6';

export function gradeColor(grade: string | null): string {
  const index = GRADE_ORDER.indexOf(grade as GradeLetter);
  return index >= 0 ? (CLASS_COLORS[index] ?? NO_DATA_COLOR) : NO_DATA_COLOR;
}
