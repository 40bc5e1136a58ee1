import type { Language } from '../i18n.ts';
import { useI18n } from '../i18n.ts';

/** The case panel's section of workers on patrol near the case, Chinese first. */
const zh = {
  title: '附近巡查人员',
  note: '正在巡查、15 分钟内有定位的人员，按距离由近到远',
  none: '附近暂无正在巡查的人员',
  metres: '{n} 米',
  kilometres: '{n} 公里',
  secondsAgo: '{n} 秒前',
  minutesAgo: '{n} 分钟前',
  alertAll: '通知附近巡查人员（{n} 人）',
  alertRest: '通知其余 {n} 人',
  everyoneAlerted: '均已通知',
  alerted: '已通知',
  acknowledged: '已签收',
  sent: '已通知 {n} 人',
  sentNone: '所列人员均已通知过，未重复发送',
  skipped: '{n} 人已结束巡查或定位过期，未通知',
  failed: '通知附近巡查人员失败',
};

type NearbyStrings = typeof zh;

const en: NearbyStrings = {
  title: 'On patrol nearby',
  note: 'Workers on patrol with a position from the last 15 minutes, nearest first',
  none: 'Nobody is on patrol nearby',
  metres: '{n} m',
  kilometres: '{n} km',
  secondsAgo: '{n} s ago',
  minutesAgo: '{n} min ago',
  alertAll: 'Alert the workers nearby ({n})',
  alertRest: 'Alert the other {n}',
  everyoneAlerted: 'All alerted',
  alerted: 'Alerted',
  acknowledged: 'Acknowledged',
  sent: '{n} alerted',
  sentNone: 'Everyone listed was alerted before: nothing sent again',
  skipped: '{n} no longer on patrol or without a recent position: not alerted',
  failed: 'Alerting the workers nearby failed',
};

const NEARBY_STRINGS: Record<Language, NearbyStrings> = { zh, en };

export function useNearbyStrings() {
  const i18n = useI18n();
  return { ...i18n, n: NEARBY_STRINGS[i18n.lang] };
}
