import type { Label } from './label.ts';

/**
 * Why a patrol has no fixes for a while, as the phone saw it. A gap with a cause is not "no patrol":
 * the track and the coverage say which it was.
 */
export const PATROL_GAP_CAUSES = {
  tab_closed: { zh: '页面被关闭或刷新', en: 'The page was closed or reloaded' },
  screen_locked: { zh: '屏幕锁定或切到后台', en: 'The screen was locked or the page hidden' },
  location_stopped: { zh: '浏览器停止定位', en: 'The browser stopped locating' },
  location_denied: { zh: '定位权限被拒绝', en: 'Location permission was denied' },
  battery: { zh: '电量不足', en: 'Low battery' },
} as const satisfies Record<string, Label>;

export type PatrolGapCause = keyof typeof PATROL_GAP_CAUSES;
export const PATROL_GAP_CAUSE_CODES = Object.keys(PATROL_GAP_CAUSES) as [PatrolGapCause, ...PatrolGapCause[]];

/** How fresh a worker's last fix is, for the command map's colours: live under a minute, recent under five. */
export const PATROL_FRESHNESS = {
  live: { zh: '实时', en: 'Live', maxAgeS: 60 },
  recent: { zh: '5 分钟内', en: 'Within 5 min', maxAgeS: 300 },
  stale: { zh: '信号中断', en: 'Signal lost', maxAgeS: Number.POSITIVE_INFINITY },
} as const;
export type PatrolFreshness = keyof typeof PATROL_FRESHNESS;

/** The freshness of a fix `ageS` seconds old. */
export function freshnessOf(ageS: number): PatrolFreshness {
  if (ageS <= PATROL_FRESHNESS.live.maxAgeS) return 'live';
  if (ageS <= PATROL_FRESHNESS.recent.maxAgeS) return 'recent';
  return 'stale';
}
