import { useI18n } from '../i18n.ts';

/**
 * What a timeline says of things outside the reader's scope, which the server reduced to a
 * mention or a count (api/vocabulary/case-timeline.ts), Chinese first.
 */
const zh = {
  alertedNearby: '附近巡查人员',
  alertedInScope: '您范围内 {n} 人',
  alertedOwnTownship: '本乡镇其他区域 {n} 人',
  alertedOtherTownships: '{n} 人，分属 {townships} 个其他乡镇',
  mergedIntoOwnTownship: '并入本乡镇其他区域的案件',
  mergedIntoOtherTownship: '并入另一乡镇的案件',
  mergedFromOwnTownship: '本乡镇其他区域的案件并入',
  mergedFromOtherTownship: '另一乡镇的案件并入',
};

export type TimelineStrings = typeof zh;

const en: TimelineStrings = {
  alertedNearby: 'Workers on patrol nearby',
  alertedInScope: '{n} in your area',
  alertedOwnTownship: '{n} elsewhere in your township',
  alertedOtherTownships: '{n} in {townships} other townships',
  mergedIntoOwnTownship: 'Merged into a case elsewhere in your township',
  mergedIntoOtherTownship: 'Merged into a case of another township',
  mergedFromOwnTownship: 'A case from elsewhere in your township merged in',
  mergedFromOtherTownship: 'A case of another township merged in',
};

/** The timeline's words for what lies outside the scope, in the current language. */
export function useTimelineStrings(): TimelineStrings {
  const { lang } = useI18n();
  return lang === 'zh' ? zh : en;
}
