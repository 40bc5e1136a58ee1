import type { Label } from './label.ts';

interface ReportTypeWord extends Label {
  /** Default radius of the control zone drawn around a report, in metres (an officer can redraw it as a polygon). */
  readonly controlRadiusM: number;
  /** Geohazards run on natural hours at every stage and go up to the county's natural resources bureau. */
  readonly geohazard: boolean;
}

/**
 * What a report can be about, with the words the UI uses and the default radius of its control
 * zone. Geohazards come first: they are what the county's informants patrol for. The order is the
 * order of every list, filter and summary.
 */
export const REPORT_TYPES = {
  landslide: { zh: '滑坡', en: 'Landslide', controlRadiusM: 300, geohazard: true },
  rockfall: { zh: '落石/崩塌', en: 'Rockfall / collapse', controlRadiusM: 200, geohazard: true },
  ground_crack: { zh: '地裂缝', en: 'Ground crack', controlRadiusM: 200, geohazard: true },
  flood: { zh: '洪涝', en: 'Flood', controlRadiusM: 500, geohazard: true },
  fire: { zh: '火情', en: 'Fire', controlRadiusM: 300, geohazard: false },
  road_damage: { zh: '道路损毁', en: 'Road damage', controlRadiusM: 100, geohazard: false },
  production_safety: { zh: '安全生产隐患', en: 'Production-safety hazard', controlRadiusM: 150, geohazard: false },
  epidemic: { zh: '疫情', en: 'Epidemic', controlRadiusM: 500, geohazard: false },
  dispute: { zh: '矛盾纠纷', en: 'Dispute', controlRadiusM: 50, geohazard: false },
  other: { zh: '其他', en: 'Other', controlRadiusM: 100, geohazard: false },
} as const satisfies Record<string, ReportTypeWord>;

export type ReportType = keyof typeof REPORT_TYPES;
/** The codes, in the order above; a tuple so that a route can build `z.enum(REPORT_TYPE_CODES)`. */
export const REPORT_TYPE_CODES = Object.keys(REPORT_TYPES) as [ReportType, ...ReportType[]];

export function isReportType(value: string): value is ReportType {
  return Object.hasOwn(REPORT_TYPES, value);
}

/** Urgent reports and landslides flash and sound on the duty officers' screens until someone takes them. */
export function isAlarming(type: string, urgency: string): boolean {
  return urgency === 'urgent' || type === 'landslide';
}

/** How urgent a report is, as the reporter says it; urgent reports run on natural hours and flash on the duty screens. */
export const URGENCIES = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const URGENCY_LABELS: Readonly<Record<Urgency, Label>> = {
  normal: { zh: '一般', en: 'Normal' },
  urgent: { zh: '紧急', en: 'Urgent' },
};
