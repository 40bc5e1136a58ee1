import type { Label } from './label.ts';

/** The social-work certificates (社工证) a grid worker may hold, lowest first; `none` holds none. */
export const CERTIFICATES = {
  none: { zh: '无', en: 'None' },
  assistant: { zh: '助理社会工作师', en: 'Assistant social worker' },
  intermediate: { zh: '社会工作师', en: 'Social worker' },
  senior: { zh: '高级社会工作师', en: 'Senior social worker' },
} as const satisfies Record<string, Label>;
export type Certificate = keyof typeof CERTIFICATES;
export const CERTIFICATE_CODES = Object.keys(CERTIFICATES) as [Certificate, ...Certificate[]];

/** Where a grid worker stands with the national social-work exam (社会工作者职业水平考试). */
export const EXAM_STATUSES = {
  not_registered: { zh: '未报名', en: 'Not registered' },
  registered: { zh: '已报名', en: 'Registered' },
  passed: { zh: '已通过', en: 'Passed' },
  failed: { zh: '未通过', en: 'Failed' },
} as const satisfies Record<string, Label>;
export type ExamStatus = keyof typeof EXAM_STATUSES;
export const EXAM_STATUS_CODES = Object.keys(EXAM_STATUSES) as [ExamStatus, ...ExamStatus[]];

/** The title of the annual commendation drawn from the review's scores. */
export const EXCELLENT_GRID_WORKER = '优秀网格员';

/** The certification rate: workers holding any certificate over workers, as a share 0-1 (null without workers). */
export function certificationRate(certified: number, workers: number): number | null {
  return workers === 0 ? null : certified / workers;
}
