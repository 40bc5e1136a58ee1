import type { Language } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import type { DutyMetric } from './duty-summary.ts';

/** The words of the duty board (clock, counts, breakdown), Chinese first (see i18n.ts for the pattern). */

const zh = {
  dutyBoard: '值班看板',
  clockLabel: '北京时间',
  metrics: {
    reportedToday: '今日上报',
    open: '在办案件',
    awaitingAcknowledgement: '待签收',
    overdue: '已超期',
  } satisfies Record<DutyMetric, string>,
  /** Short column heads of the breakdown table. */
  columns: {
    reportedToday: '今日',
    open: '在办',
    awaitingAcknowledgement: '待签收',
    overdue: '超期',
  } satisfies Record<DutyMetric, string>,
  metricTitle: '{metric}：{n} 件，点击查看列表',
  byTownship: '按乡镇',
  byType: '按类型',
  breakdown: '分布',
  township: '乡镇（街道）',
  type: '类型',
  showBreakdown: '展开分布',
  hideBreakdown: '收起分布',
  nothingToday: '辖区内暂无在办或今日上报的事件',
  stale: '统计暂未更新，正在重试',
  unknownTownship: '（范围外）',
};

type DutyStrings = typeof zh;

const en: DutyStrings = {
  dutyBoard: 'Duty board',
  clockLabel: 'Beijing time',
  metrics: {
    reportedToday: 'Reported today',
    open: 'Open cases',
    awaitingAcknowledgement: 'Awaiting ack.',
    overdue: 'Overdue',
  },
  columns: {
    reportedToday: 'Today',
    open: 'Open',
    awaitingAcknowledgement: 'Await.',
    overdue: 'Late',
  },
  metricTitle: '{metric}: {n}; open the list',
  byTownship: 'By township',
  byType: 'By type',
  breakdown: 'Breakdown',
  township: 'Township',
  type: 'Type',
  showBreakdown: 'Show breakdown',
  hideBreakdown: 'Hide breakdown',
  nothingToday: 'No open cases and no reports today in your area',
  stale: 'Counts not updated; retrying',
  unknownTownship: '(outside scope)',
};

const DUTY_STRINGS: Record<Language, DutyStrings> = { zh, en };

export function useDutyStrings(): { lang: Language; d: DutyStrings } {
  const { lang } = useI18n();
  return { lang, d: DUTY_STRINGS[lang] };
}
