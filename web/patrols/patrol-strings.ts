import type { Language } from '../i18n.ts';
import { useI18n } from '../i18n.ts';

/** The patrol tab's words, Chinese first. */
const zh = {
  tab: '巡查',
  start: '开始巡查',
  stop: '结束巡查',
  running: '巡查中',
  lastPatrol: '上次巡查',
  duration: '时长',
  distance: '里程',
  cells: '走过单元格',
  fixes: '定位点',
  pending: '{n} 个待上传',
  allSent: '已全部上传',
  accuracy: '精度 ±{m} 米',
  waitingFix: '正在等待第一个定位…',
  screenOn: '巡查时请保持屏幕常亮、本页在前台：锁屏或切换到其他应用后，浏览器会停止定位，轨迹会出现中断（系统会记录中断原因）。',
  denied: '未允许定位：请在浏览器设置中允许本页使用位置，巡查才能记录轨迹。',
  unavailable: '暂时无法定位：请到开阔处，轨迹会在恢复定位后继续。',
  unsupported: '此浏览器不支持定位，无法记录巡查轨迹。',
  ended: '已结束 {time}',
  endSending: '结束记录待上传',
  linkedReports: '巡查中上报 {n} 条',
};

type PatrolStrings = typeof zh;

const en: PatrolStrings = {
  tab: 'Patrol',
  start: 'Start patrol',
  stop: 'End patrol',
  running: 'On patrol',
  lastPatrol: 'Last patrol',
  duration: 'Time',
  distance: 'Distance',
  cells: 'Cells walked',
  fixes: 'Fixes',
  pending: '{n} waiting to upload',
  allSent: 'All uploaded',
  accuracy: 'Accuracy ±{m} m',
  waitingFix: 'Waiting for the first fix…',
  screenOn:
    'Keep the screen on and this page in front while you patrol: when the phone locks or you switch apps, the browser stops locating and the track has a gap (its cause is recorded).',
  denied: 'Location is not allowed: allow this page to use your location in the browser settings to record the track.',
  unavailable: 'No position for now: move into the open; the track goes on once locating is back.',
  unsupported: 'This browser cannot locate: no track can be recorded.',
  ended: 'Ended {time}',
  endSending: 'End waiting to upload',
  linkedReports: '{n} reported on the way',
};

const PATROL_STRINGS: Record<Language, PatrolStrings> = { zh, en };

/** The field page's tab label, without loading the tab. */
export const PATROL_TAB_LABEL: Record<Language, string> = { zh: zh.tab, en: en.tab };

export function usePatrolStrings() {
  const i18n = useI18n();
  return { ...i18n, p: PATROL_STRINGS[i18n.lang] };
}
