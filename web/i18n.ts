import { createContext, useContext } from 'react';
import { AREA_KIND_LABELS, AREA_LEVEL_LABELS } from '../api/vocabulary/area-levels.ts';
import type { Language } from '../api/vocabulary/label.ts';
import { labelOf } from '../api/vocabulary/label.ts';

/** The UI speaks Chinese first; English is a switch. Area names stay Chinese in both. */
export type { Language };

const STORAGE_KEY = 'grid-command.language';

let language: Language = readStoredLanguage();

function readStoredLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

/** The language of API error messages and UI strings, readable outside React (the API client needs it). */
export function currentLanguage(): Language {
  return language;
}

export function storeLanguage(next: Language): void {
  language = next;
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private browsing: the choice lasts for this page only.
  }
}

const zh = {
  appTitle: '通江县网格化管理指挥中心',
  appTitleShort: '网格指挥中心',
  languageSwitch: 'EN',
  languageSwitchLabel: 'Switch to English',
  loading: '正在载入…',
  retry: '重试',
  configFailed: '无法载入配置',
  offlineNeedsNetwork: '当前离线：此页面需要网络。现场上报页可离线使用。',
  openFieldOffline: '打开现场上报',
  updateReady: '新版本已下载',
  updateNow: '立即更新',
  searchPlaceholder: '搜索区域：名称、拼音或代码',
  searchLabel: '搜索区域',
  searchNoResults: '没有找到匹配的区域',
  searching: '正在搜索…',
  close: '关闭',
  expand: '展开',
  collapse: '收起',
  code: '代码',
  level: '层级',
  population: '人口',
  households: '户数',
  area: '面积',
  km2: '平方公里',
  children: '下辖',
  peopleResponsible: '责任人',
  noPeople: '暂无登记的责任人',
  call: '拨打',
  synthetic: '模拟数据',
  syntheticNote: '人员、住户与边界均为生成的模拟数据',
  urban: '城区',
  rural: '农村',
  legend: '图例',
  countyBoundary: '县界',
  scopeBoundary: '辖区边界（{name}）',
  selectedArea: '选中区域',
  household: '住户',
  heatmap: '户密度热力图',
  heatmapNote: '按村（社区）户数',
  zoom: '缩放',
  showing: '当前层级',
  breadcrumbLabel: '上级区划',
  networkError: '网络连接失败，请检查后重试',
  requestFailed: '请求失败',
  unknownError: '发生未知错误',
  dismiss: '关闭提示',
  // sign-in
  signInTitle: '登录',
  signInSubtitle: '请使用您的账号登录指挥中心',
  username: '用户名',
  password: '密码',
  showPassword: '显示密码',
  hidePassword: '隐藏密码',
  signIn: '登录',
  signingIn: '正在登录…',
  signInFailed: '登录失败',
  fillBoth: '请输入用户名和密码',
  sessionExpired: '登录已过期，请重新登录',
  sessionEndedNote: '登录后将回到您刚才的页面。',
  signedOutNote: '您已退出登录。',
  demoAccounts: '演示账号',
  demoBadge: 'DEMO',
  demoNote: '本机演示数据库内置的账号，密码公开，仅供体验。点选一个账号即可填入。',
  demoPassword: '演示密码',
  demoFill: '填入',
  // who is signed in
  accountMenu: '账号菜单',
  signedInAs: '当前登录',
  scope: '管辖范围',
  role: '角色',
  signOut: '退出登录',
  signOutEverywhere: '退出所有设备',
  signOutEverywhereNote: '结束此账号在所有浏览器和设备上的登录',
  signOutFailed: '退出登录失败',
  admin: '系统管理',
  backToMap: '返回地图',
  noPermissionForPeople: '您的角色无权查看责任人信息',
  // admin
  accountsPage: '账号管理',
  permissionsPage: '角色权限',
  auditPage: '审计日志',
  timeLimitsPage: '办理时限',
  taskLinesPage: '任务条线',
  notAllowedPage: '您的角色无权查看此页面',
  loadFailed: '载入失败',
  saveFailed: '保存失败',
  filterText: '搜索用户名或姓名',
  allRoles: '全部角色',
  includeDisabled: '包括已停用',
  createAccount: '新建账号',
  displayName: '姓名',
  status: '状态',
  active: '启用',
  disabled: '已停用',
  lastSeen: '最近活动',
  never: '从未登录',
  actions: '操作',
  you: '本人',
  demo: '演示',
  disable: '停用',
  enable: '启用',
  changeRole: '改角色',
  outOfGrant: '超出本账号的管理权限（只能管理本辖区内低于自身层级的账号）',
  changeScope: '调整范围',
  resetPassword: '重置密码',
  cancel: '取消',
  confirm: '确认',
  create: '创建',
  save: '保存',
  working: '正在处理…',
  accountCount: '共 {n} 个账号',
  noAccounts: '没有符合条件的账号',
  newPassword: '新密码',
  passwordRule: '至少 8 位，须同时包含字母和数字',
  usernameRule: '3 到 32 位小写字母、数字或 . _ -',
  scopePick: '选择区域',
  scopeSearch: '搜索区域名称、拼音或代码',
  scopeChange: '更改',
  scopeRequired: '请选择管辖范围',
  disableTitle: '停用账号',
  disableText: '停用“{name}”（{username}）？该账号的所有登录会立即结束，之后无法再登录，可随时重新启用。',
  enableTitle: '启用账号',
  enableText: '重新启用“{name}”（{username}）？该账号将可以再次登录。',
  roleTitle: '修改角色',
  roleText: '“{name}”（{username}）的新角色：',
  roleNote: '修改角色会立即结束该账号的所有登录。',
  scopeTitle: '调整管辖范围',
  scopeText: '“{name}”（{username}）的新管辖范围：',
  scopeNote: '调整范围会立即结束该账号的所有登录。',
  currentScope: '当前范围：{name}（{code}）',
  passwordTitle: '重置密码',
  passwordText: '为“{name}”（{username}）设置新密码。该账号的所有登录会立即结束，请把新密码当面或电话告知本人。',
  createdNotice: '已创建账号',
  disabledNotice: '已停用账号',
  enabledNotice: '已启用账号',
  updatedNotice: '已保存账号',
  passwordNotice: '已重置密码',
  cannotChangeSelf: '不能修改本人的角色、范围或停用本人',
  permissionsIntro: '每个角色可以执行的操作。此表只读，由系统定义；各账号还只能看到自己管辖范围内的数据。',
  permission: '权限',
  scopeLevels: '管辖层级',
  grantRuleTitle: '谁管理谁：',
  allowed: '允许',
  notAllowed: '不允许',
  yourRole: '您的角色',
} as const;

type Strings = { readonly [K in keyof typeof zh]: string };

const en: Strings = {
  appTitle: 'Tongjiang County Grid Command Center',
  appTitleShort: 'Grid Command',
  languageSwitch: '中文',
  languageSwitchLabel: '切换到中文',
  loading: 'Loading…',
  retry: 'Retry',
  configFailed: 'Could not load the configuration',
  offlineNeedsNetwork: 'Offline: this page needs the network. The field page works offline.',
  openFieldOffline: 'Open the field page',
  updateReady: 'A new version is ready',
  updateNow: 'Update now',
  searchPlaceholder: 'Search areas: name, pinyin or code',
  searchLabel: 'Search areas',
  searchNoResults: 'No matching area',
  searching: 'Searching…',
  close: 'Close',
  expand: 'Expand',
  collapse: 'Collapse',
  code: 'Code',
  level: 'Level',
  population: 'Population',
  households: 'Households',
  area: 'Area',
  km2: 'km²',
  children: 'Contains',
  peopleResponsible: 'People responsible',
  noPeople: 'No one registered yet',
  call: 'Call',
  synthetic: 'Synthetic data',
  syntheticNote: 'People, households and boundaries are generated',
  urban: 'Urban',
  rural: 'Rural',
  legend: 'Legend',
  countyBoundary: 'County boundary',
  scopeBoundary: 'Boundary of your area ({name})',
  selectedArea: 'Selected area',
  household: 'Household',
  heatmap: 'Household density',
  heatmapNote: 'by village / community',
  zoom: 'Zoom',
  showing: 'Showing',
  breadcrumbLabel: 'Parent areas',
  networkError: 'Network error; check the connection and retry',
  requestFailed: 'Request failed',
  unknownError: 'Something went wrong',
  dismiss: 'Dismiss',
  signInTitle: 'Sign in',
  signInSubtitle: 'Sign in to the command center with your account',
  username: 'Username',
  password: 'Password',
  showPassword: 'Show password',
  hidePassword: 'Hide password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  signInFailed: 'Sign-in failed',
  fillBoth: 'Enter a username and a password',
  sessionExpired: 'Your session has ended; please sign in again',
  sessionEndedNote: 'You will return to the page you were on.',
  signedOutNote: 'You have signed out.',
  demoAccounts: 'Demo accounts',
  demoBadge: 'Demo',
  demoNote: 'Accounts built into this demo database; their password is public. Tap one to fill the form.',
  demoPassword: 'Demo password',
  demoFill: 'Fill in',
  accountMenu: 'Account menu',
  signedInAs: 'Signed in as',
  scope: 'Area scope',
  role: 'Role',
  signOut: 'Sign out',
  signOutEverywhere: 'Sign out everywhere',
  signOutEverywhereNote: 'Ends this account’s sessions in every browser and device',
  signOutFailed: 'Could not sign out',
  admin: 'Administration',
  backToMap: 'Back to the map',
  noPermissionForPeople: 'Your role may not see the people responsible',
  accountsPage: 'Accounts',
  permissionsPage: 'Permissions',
  auditPage: 'Audit log',
  timeLimitsPage: 'Time limits',
  taskLinesPage: 'Task lines',
  notAllowedPage: 'Your role may not see this page',
  loadFailed: 'Could not load',
  saveFailed: 'Could not save',
  filterText: 'Search username or name',
  allRoles: 'All roles',
  includeDisabled: 'Include disabled',
  createAccount: 'New account',
  displayName: 'Name',
  status: 'Status',
  active: 'Active',
  disabled: 'Disabled',
  lastSeen: 'Last active',
  never: 'Never signed in',
  actions: 'Actions',
  you: 'You',
  demo: 'Demo',
  disable: 'Disable',
  enable: 'Enable',
  changeRole: 'Role',
  outOfGrant: 'Beyond what this account may manage (only accounts below its own level inside its scope)',
  changeScope: 'Scope',
  resetPassword: 'Reset password',
  cancel: 'Cancel',
  confirm: 'Confirm',
  create: 'Create',
  save: 'Save',
  working: 'Working…',
  accountCount: '{n} accounts',
  noAccounts: 'No account matches',
  newPassword: 'New password',
  passwordRule: 'At least 8 characters, with letters and digits',
  usernameRule: '3 to 32 lower-case letters, digits or . _ -',
  scopePick: 'Choose an area',
  scopeSearch: 'Search an area: name, pinyin or code',
  scopeChange: 'Change',
  scopeRequired: 'Choose the area scope',
  disableTitle: 'Disable account',
  disableText: 'Disable “{name}” ({username})? Its sessions end at once and it cannot sign in until enabled again.',
  enableTitle: 'Enable account',
  enableText: 'Enable “{name}” ({username}) again? It will be able to sign in.',
  roleTitle: 'Change role',
  roleText: 'New role of “{name}” ({username}):',
  roleNote: 'Changing the role ends the account’s sessions at once.',
  scopeTitle: 'Change area scope',
  scopeText: 'New area scope of “{name}” ({username}):',
  scopeNote: 'Changing the scope ends the account’s sessions at once.',
  currentScope: 'Current scope: {name} ({code})',
  passwordTitle: 'Reset password',
  passwordText:
    'Set a new password for “{name}” ({username}). Its sessions end at once; tell the person the new password in person or by phone.',
  createdNotice: 'Account created',
  disabledNotice: 'Account disabled',
  enabledNotice: 'Account enabled',
  updatedNotice: 'Account saved',
  passwordNotice: 'Password reset',
  cannotChangeSelf: 'You cannot change your own role or scope, or disable yourself',
  permissionsIntro:
    'What each role may do. The table is read-only, defined by the system; every account also sees only the data of its own area scope.',
  permission: 'Permission',
  scopeLevels: 'Scoped at',
  grantRuleTitle: 'Who manages whom: ',
  allowed: 'Allowed',
  notAllowed: 'Not allowed',
  yourRole: 'Your role',
};

export const STRINGS: Record<Language, Strings> = { zh, en };

/** "乡镇 · 镇", "村（社区） · 社区", "网格": the level, with the statistical kind where it says more. */
export function levelLabel(lang: Language, level: string, kind: string): string {
  const levelName = labelOf(AREA_LEVEL_LABELS, lang, level);
  if (level !== 'township' && level !== 'village') return levelName;
  return `${levelName} · ${labelOf(AREA_KIND_LABELS, lang, kind)}`;
}

/** Fills `{name}` placeholders: `fill('共 {n} 条', { n: 3 })`. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/** The county's wall clock is China Standard Time, UTC+8 all year (no daylight saving). */
const COUNTY_UTC_OFFSET_MS = 8 * 3_600_000;

/**
 * A timestamp on the county's clock, the same in both languages and whatever the viewer's own
 * time zone: `2024-05-11 14:03:27`. A duty officer's screen and the case export (api/cases/export.ts)
 * then show the same time for the same step, as the county reads it.
 */
export function formatDateTime(at: string | number): string {
  const instant = new Date(at).getTime();
  if (Number.isNaN(instant)) return String(at);
  return new Date(instant + COUNTY_UTC_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The time of day of a timestamp on the county's clock: `14:03`. */
export function formatTimeOfDay(at: string | number): string {
  return formatDateTime(at).slice(11, 16);
}

export function formatNumber(lang: Language, value: number, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits }).format(value);
}

export interface I18n {
  lang: Language;
  t: Strings;
  setLang: (next: Language) => void;
}

export const I18nContext = createContext<I18n>({ lang: 'zh', t: zh, setLang: () => {} });

export function useI18n(): I18n {
  return useContext(I18nContext);
}
