import type { Label } from './label.ts';

/** The kinds of service provider (多元主体) that take cases beside the county's departments. */
export const PROVIDER_CATEGORIES = {
  clinic: { zh: '卫生院/诊所', en: 'Clinic' },
  volunteer: { zh: '志愿服务队', en: 'Volunteer team' },
  arts: { zh: '文艺队', en: 'Arts team' },
  company: { zh: '企业', en: 'Company' },
  ngo: { zh: '社会组织', en: 'NGO' },
} as const satisfies Record<string, Label>;
export type ProviderCategory = keyof typeof PROVIDER_CATEGORIES;
export const PROVIDER_CATEGORY_CODES = Object.keys(PROVIDER_CATEGORIES) as [ProviderCategory, ...ProviderCategory[]];

/** A provider's code: P001, P002, ... beside the departments' D01–D65, in the same `departments` table. */
const PROVIDER_CODE = /^P\d{3}$/;

/** The code after the highest one taken (P001 when none is). */
export function nextProviderCode(taken: readonly string[]): string {
  const highest = taken.filter((code) => PROVIDER_CODE.test(code)).reduce((max, code) => Math.max(max, Number(code.slice(1))), 0);
  return `P${String(highest + 1).padStart(3, '0')}`;
}
