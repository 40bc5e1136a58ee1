import type { Language } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import type { CoverageClass } from '../map/patrol-coverage-layer.ts';

/** The words of patrol coverage (map mode and area panel), Chinese first. */
const zh = {
  mode: '巡查覆盖',
  modeNote: '单元格按距上次巡查的天数着色',
  asOf: '截至 {day}',
  classes: { today: '今天', week: '7天内', month: '30天内', never: '超过30天或从未' } as Record<CoverageClass, string>,
  zoomIn: '放大到乡镇范围可见单元格',
  title: '巡查覆盖',
  share: '{n}/{d}',
  day1: '今天',
  day7: '近7天',
  day30: '近30天',
  area: '区域',
  thisArea: '本区域',
  cellsNote: '已巡查单元格 / 单元格总数；轨迹 {m} 米内的单元格算作已巡查',
  loading: '正在读取巡查覆盖…',
};

type CoverageStrings = typeof zh;

const en: CoverageStrings = {
  mode: 'Patrol coverage',
  modeNote: 'Cells coloured by days since the last patrol',
  asOf: 'As of {day}',
  classes: { today: 'Today', week: 'Within 7 days', month: 'Within 30 days', never: 'Over 30 days or never' },
  zoomIn: 'Zoom in to a township to see the cells',
  title: 'Patrol coverage',
  share: '{n}/{d}',
  day1: 'Today',
  day7: '7 days',
  day30: '30 days',
  area: 'Area',
  thisArea: 'This area',
  cellsNote: 'Cells patrolled / all cells; a cell within {m} m of a track counts as patrolled',
  loading: 'Reading patrol coverage…',
};

const COVERAGE_STRINGS: Record<Language, CoverageStrings> = { zh, en };

export function useCoverageStrings() {
  const i18n = useI18n();
  return { ...i18n, c: COVERAGE_STRINGS[i18n.lang] };
}
