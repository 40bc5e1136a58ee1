import type { Label } from './label.ts';

/** How urgent a report is, as the reporter says it; urgent reports run on natural hours and flash on the duty screens. */
export const URGENCIES = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const URGENCY_LABELS: Readonly<Record<Urgency, Label>> = {
  normal: { zh: '一般', en: 'Normal' },
  urgent: { zh: '紧急', en: 'Urgent' },
};
