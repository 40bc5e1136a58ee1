import ExcelJS from 'exceljs';
import type { Language } from '../errors.ts';
import { AREA_LEVEL_LABELS } from '../vocabulary/area-levels.ts';
import { CASE_STATE_LABELS } from '../vocabulary/case-states.ts';
import { labelOf } from '../vocabulary/label.ts';
import { REPORT_TYPES, URGENCY_LABELS } from '../vocabulary/report-types.ts';
import type { CaseSummary } from './contracts.ts';

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** An ISO instant as Asia/Shanghai wall time, `YYYY-MM-DD HH:mm`, the way the county reads it. */
export function shanghaiText(instant: string | null): string {
  if (!instant) return '';
  return new Date(new Date(instant).getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * An instant as the Date a spreadsheet should show: Excel has no time zones, so the Shanghai
 * wall time is written as if it were UTC.
 */
function shanghaiCellDate(instant: string | null): Date | null {
  return instant ? new Date(new Date(instant).getTime() + SHANGHAI_OFFSET_MS) : null;
}

const LIGHT_LABELS = {
  green: { zh: '绿', en: 'Green' },
  yellow: { zh: '黄', en: 'Yellow' },
  red: { zh: '红', en: 'Red' },
  none: { zh: '', en: '' },
} as const;

type Value = string | number | boolean | null;

interface Column {
  zh: string;
  en: string;
  /** Time columns are written as dates in XLSX and as Shanghai wall time in CSV. */
  time?: boolean;
  width: number;
  value: (item: CaseSummary, language: Language) => Value;
}

const yesNo = (value: boolean | null, language: Language) =>
  value === null ? '' : language === 'zh' ? (value ? '是' : '否') : value ? 'yes' : 'no';

/** The export's columns, in order; headers in the caller's language. */
const EXPORT_COLUMNS: readonly Column[] = [
  { zh: '案卷号', en: 'Case number', width: 22, value: (item) => item.caseNumber },
  {
    zh: '类型',
    en: 'Type',
    width: 12,
    value: (item, language) => labelOf(REPORT_TYPES, language, item.type),
  },
  {
    zh: '紧急程度',
    en: 'Urgency',
    width: 8,
    value: (item, language) => labelOf(URGENCY_LABELS, language, item.urgency),
  },
  {
    zh: '状态',
    en: 'State',
    width: 10,
    value: (item, language) => labelOf(CASE_STATE_LABELS, language, item.state),
  },
  { zh: '红黄绿灯', en: 'Light', width: 8, value: (item, language) => LIGHT_LABELS[item.light][language] },
  {
    zh: '时限已用',
    en: 'Limit used',
    width: 9,
    value: (item) => (item.usedShare === null ? null : Math.round(item.usedShare * 1000) / 1000),
  },
  { zh: '描述', en: 'Description', width: 40, value: (item) => item.description },
  { zh: '乡镇（街道）', en: 'Township', width: 12, value: (item) => item.townshipName ?? item.townshipCode },
  { zh: '村（社区）', en: 'Village', width: 12, value: (item) => item.villageName ?? item.villageCode },
  { zh: '单元格代码', en: 'Cell code', width: 20, value: (item) => item.cellCode },
  {
    zh: '责任层级',
    en: 'Responsible level',
    width: 10,
    value: (item, language) => labelOf(AREA_LEVEL_LABELS, language, item.responsibleLevel),
  },
  {
    zh: '主办部门',
    en: 'Lead department',
    width: 16,
    value: (item) => item.assignedDepartmentName ?? item.assignedDepartmentCode,
  },
  { zh: '协同部门', en: 'Co-handling', width: 12, value: (item) => item.coDepartmentCodes.join(' ') },
  { zh: '上报人', en: 'Reporter', width: 10, value: (item) => item.reporterName },
  { zh: '上报时间', en: 'Reported at', time: true, width: 17, value: (item) => item.reportedAt },
  { zh: '立案时间', en: 'Filed at', time: true, width: 17, value: (item) => item.filedAt },
  { zh: '派遣时间', en: 'Dispatched at', time: true, width: 17, value: (item) => item.dispatchedAt },
  { zh: '当前时限', en: 'Due at', time: true, width: 17, value: (item) => item.dueAt },
  { zh: '结案时间', en: 'Closed at', time: true, width: 17, value: (item) => item.closedAt },
  { zh: '按期结案', en: 'Closed on time', width: 8, value: (item, language) => yesNo(item.closedOnTime, language) },
  { zh: '督办', en: 'Supervised', width: 6, value: (item, language) => yesNo(item.supervised, language) },
  { zh: '升级次数', en: 'Escalations', width: 8, value: (item) => item.escalationCount },
  { zh: '满意度', en: 'Satisfaction', width: 8, value: (item) => item.satisfaction },
  { zh: '经度', en: 'Longitude', width: 11, value: (item) => item.position[0] },
  { zh: '纬度', en: 'Latitude', width: 11, value: (item) => item.position[1] },
];

function csvCell(value: Value): string {
  const text = value === null ? '' : String(value);
  // A leading = + - @ would be a formula in a spreadsheet: quote it as text.
  const safe = typeof value === 'string' && /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The cases as CSV: UTF-8 with a BOM (so Excel reads the Chinese), CRLF line ends, times in Shanghai wall time. */
export function casesCsv(items: readonly CaseSummary[], language: Language): string {
  const lines = [
    EXPORT_COLUMNS.map((column) => csvCell(column[language])).join(','),
    ...items.map((item) =>
      EXPORT_COLUMNS.map((column) => {
        const value = column.value(item, language);
        return csvCell(column.time ? shanghaiText(value as string | null) : value);
      }).join(','),
    ),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The cases as an Excel workbook (one sheet, a frozen header row, times as dates in Shanghai wall time). */
export async function casesXlsx(items: readonly CaseSummary[], language: Language): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '网格化管理指挥中心';
  const sheet = workbook.addWorksheet(language === 'zh' ? '案件' : 'Cases', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = EXPORT_COLUMNS.map((column) => ({
    header: column[language],
    width: column.width,
    ...(column.time ? { style: { numFmt: 'yyyy-mm-dd hh:mm' } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const item of items) {
    sheet.addRow(
      EXPORT_COLUMNS.map((column) => {
        const value = column.value(item, language);
        return column.time ? shanghaiCellDate(value as string | null) : value;
      }),
    );
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
