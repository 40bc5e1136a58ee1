import type { Language } from '../i18n.ts';
import { useI18n } from '../i18n.ts';

/** The words of the geohazard watch on the command view, Chinese first (see i18n.ts for the pattern). */
const zh = {
  title: '地灾隐患点巡查',
  layer: '隐患点图层',
  behindToday: '今日未达标',
  allMet: '今日各隐患点巡查均已达标',
  unwatched: '非汛期，今日不要求巡查',
  rule: '规则：{season}每日 {n} 次',
  inSeason: '汛期',
  offSeason: '非汛期',
  count: '今日 {count}/{required} 次',
  monitor: '监测员',
  threat: '威胁 {households} 户 {people} 人',
  summary: '{behind}/{total} 处未达标',
  legendMet: '已达标',
  legendBehind: '未达标',
  loading: '载入中…',
  showOnMap: '在地图上查看 {name}',
};
type GeohazardStrings = typeof zh;

const en: GeohazardStrings = {
  title: 'Geohazard patrols',
  layer: 'Hazard points layer',
  behindToday: 'Behind today',
  allMet: 'Every point has had its patrols today',
  unwatched: 'Out of season: no patrol required today',
  rule: 'Rule: {n} a day ({season})',
  inSeason: 'rainy season',
  offSeason: 'out of season',
  count: 'Today {count}/{required}',
  monitor: 'Monitor',
  threat: '{households} households, {people} people at risk',
  summary: '{behind} of {total} behind',
  legendMet: 'Met',
  legendBehind: 'Behind',
  loading: 'Loading…',
  showOnMap: 'Show {name} on the map',
};

const GEOHAZARD_STRINGS: Record<Language, GeohazardStrings> = { zh, en };

export function useGeohazardStrings(): { lang: Language; g: GeohazardStrings } {
  const { lang } = useI18n();
  return { lang, g: GEOHAZARD_STRINGS[lang] };
}
