import type { Language } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import { PLAYBACK_TITLE } from './playback-title.ts';

/** The playback screen's words, Chinese first. */
const zh = {
  title: PLAYBACK_TITLE.zh,
  day: '日期',
  dayNote: '按北京时间计日',
  workers: '巡查人员',
  all: '全部',
  allWorkers: '全部 {n} 人',
  picked: '已选 {n} 人',
  play: '播放',
  pause: '暂停',
  speed: '倍速',
  time: '回放时刻',
  distance: '里程',
  duration: '时长',
  stops: '停留',
  stopTip: '{name} 停留 {minutes} 分钟（{from}–{to}）',
  gapTip: '记录中断 {from}–{to}：{cause}',
  gapsLegend: '记录中断（不等于未巡查）',
  noPatrols: '这一天该区域没有巡查轨迹。',
  loading: '正在读取轨迹…',
  fixes: '{n} 个定位点',
  km: '{n} 公里',
  backToMap: '返回地图',
  onlyThis: '只看此人',
  audited: '查看他人轨迹会记入审计日志。',
};

type PlaybackStrings = typeof zh;

const en: PlaybackStrings = {
  title: PLAYBACK_TITLE.en,
  day: 'Day',
  dayNote: 'Days in Beijing time',
  workers: 'Workers',
  all: 'All',
  allWorkers: 'All {n}',
  picked: '{n} picked',
  play: 'Play',
  pause: 'Pause',
  speed: 'Speed',
  time: 'Time',
  distance: 'Distance',
  duration: 'Time out',
  stops: 'Stops',
  stopTip: '{name} stayed {minutes} min ({from}–{to})',
  gapTip: 'Not recorded {from}–{to}: {cause}',
  gapsLegend: 'Not recorded (not "no patrol")',
  noPatrols: 'No patrol tracks in this area on this day.',
  loading: 'Reading the tracks…',
  fixes: '{n} fixes',
  km: '{n} km',
  backToMap: 'Back to the map',
  onlyThis: 'Only this one',
  audited: 'Viewing others’ tracks is recorded in the audit log.',
};

const PLAYBACK_STRINGS: Record<Language, PlaybackStrings> = { zh, en };

export function usePlaybackStrings() {
  const i18n = useI18n();
  return { ...i18n, s: PLAYBACK_STRINGS[i18n.lang] };
}

/** `text` with each `{name}` replaced. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));
}

/** Seconds since the day's start as HH:mm (or HH:mm:ss). */
export function clockOf(seconds: number, withSeconds = false): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return withSeconds ? `${pad(h)}:${pad(m)}:${pad(s)}` : `${pad(h)}:${pad(m)}`;
}

/** A duration in seconds as 1小时05分 / 1 h 05 min. */
export function durationOf(seconds: number, lang: Language): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  if (lang === 'zh') return h > 0 ? `${h}小时${String(m).padStart(2, '0')}分` : `${m}分钟`;
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min`;
}
