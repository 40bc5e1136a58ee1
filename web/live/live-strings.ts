import type { Language } from '../i18n.ts';

/**
 * The words of the live feed's state and the alarm sound in the top bar, Chinese first. Short
 * enough for a wall screen read from across the room; the titles say the rest for a desk.
 */
const zh = {
  liveConnected: '实时',
  liveCatchingUp: '补齐中',
  liveReconnecting: '重连中',
  liveConnecting: '连接中',
  liveConnectedTitle: '实时推送已连接：新上报的事件一秒内出现',
  liveCatchingUpTitle: '已连上服务器，正在补齐断线期间错过的事件',
  liveReconnectingTitle: '实时推送已断开，正在重新连接；重连后补齐错过的事件',
  liveConnectingTitle: '正在连接实时推送',
  soundOn: '声音已开',
  soundMuted: '已静音',
  soundBlocked: '点击启用声音',
  soundOnTitle: '紧急与滑坡事件到达时鸣响提示，点击静音',
  soundMutedTitle: '提示音已关闭，点击开启',
  soundBlockedTitle: '浏览器要求先点击一次才能播放声音：点击此处启用提示音',
} as const;

type LiveStrings = { readonly [K in keyof typeof zh]: string };

const en: LiveStrings = {
  liveConnected: 'Live',
  liveCatchingUp: 'Catching up',
  liveReconnecting: 'Reconnecting',
  liveConnecting: 'Connecting',
  liveConnectedTitle: 'Live feed connected: new reports appear within a second',
  liveCatchingUpTitle: 'Connected again; bringing in what was missed while the link was down',
  liveReconnectingTitle: 'Live feed lost; reconnecting, then catching up on what was missed',
  liveConnectingTitle: 'Connecting to the live feed',
  soundOn: 'Sound on',
  soundMuted: 'Muted',
  soundBlocked: 'Click to enable sound',
  soundOnTitle: 'Urgent and landslide reports sound an alarm; click to mute',
  soundMutedTitle: 'The alarm is muted; click to turn it on',
  soundBlockedTitle: 'The browser plays sound only after one click: click here to enable the alarm',
};

export const LIVE_STRINGS: Record<Language, LiveStrings> = { zh, en };
