import { createContext, useContext } from 'react';

/** The UI speaks Chinese first; English is a switch. Area names stay Chinese in both. */
export type Language = 'zh' | 'en';

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
};

export const STRINGS: Record<Language, Strings> = { zh, en };

/** Management levels, as the UI names them. */
export const LEVEL_NAMES: Record<Language, Record<string, string>> = {
  zh: { county: '县', township: '乡镇', village: '村（社区）', grid: '网格', cell: '单元格', household: '住户' },
  en: {
    county: 'County',
    township: 'Township',
    village: 'Village / community',
    grid: 'Grid',
    cell: 'Unit cell',
    household: 'Household',
  },
};

/** Statistical kinds: street 街道 / town 镇 / xiang 乡, village 村 / community 社区. */
export const KIND_NAMES: Record<Language, Record<string, string>> = {
  zh: { county: '县', street: '街道', town: '镇', xiang: '乡', village: '村', community: '社区', grid: '网格', cell: '单元格' },
  en: {
    county: 'County',
    street: 'Street',
    town: 'Town',
    xiang: 'Xiang',
    village: 'Village',
    community: 'Community',
    grid: 'Grid',
    cell: 'Cell',
  },
};

export const ROLE_NAMES: Record<Language, Record<string, string>> = {
  zh: {
    township_commander: '指挥长',
    grid_chief: '网格长',
    grid_worker: '网格员',
    cell_informant: '单元格信息员',
    department_cadre: '部门下沉干部',
  },
  en: {
    township_commander: 'Township commander',
    grid_chief: 'Grid chief',
    grid_worker: 'Grid worker',
    cell_informant: 'Cell informant',
    department_cadre: 'Department cadre',
  },
};

/** "乡镇 · 镇", "村（社区） · 社区", "网格": the level, with the statistical kind where it says more. */
export function levelLabel(lang: Language, level: string, kind: string): string {
  const levelName = LEVEL_NAMES[lang][level] ?? level;
  if (level !== 'township' && level !== 'village') return levelName;
  return `${levelName} · ${KIND_NAMES[lang][kind] ?? kind}`;
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
