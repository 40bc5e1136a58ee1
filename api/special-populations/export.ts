import ExcelJS from 'exceljs';
import type { Language } from '../errors.ts';
import { labelOf } from '../vocabulary/label.ts';
import { DUE_STATUSES, RISK_COLOURS, SPECIAL_CATEGORIES, SUPERVISION_GRADES } from '../vocabulary/special-populations.ts';
import type { EntryListView } from './views.ts';

type Value = string | number | null;

/** An ISO instant as Asia/Shanghai wall time, `YYYY-MM-DD HH:mm`. */
function shanghaiText(instant: string | null): string {
  if (!instant) return '';
  return new Date(new Date(instant).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

interface Column {
  zh: string;
  en: string;
  width: number;
  value: (entry: EntryListView, language: Language) => Value;
}

const GENDERS = { male: { zh: '男', en: 'Male' }, female: { zh: '女', en: 'Female' } };

/** The export's columns, in order; 身份证号 masked as in lists. */
const EXPORT_COLUMNS: readonly Column[] = [
  { zh: '登记编号', en: 'Register code', width: 18, value: (e) => e.id },
  { zh: '类别', en: 'Category', width: 16, value: (e, l) => labelOf(SPECIAL_CATEGORIES, l, e.category) },
  { zh: '姓名/房屋', en: 'Name / house', width: 14, value: (e) => e.name },
  { zh: '身份证号', en: 'ID number', width: 20, value: (e) => e.idNumber },
  { zh: '性别', en: 'Gender', width: 6, value: (e, l) => labelOf(GENDERS, l, e.gender) },
  { zh: '电话', en: 'Phone', width: 14, value: (e) => e.phone },
  { zh: '住址', en: 'Address', width: 30, value: (e) => e.address },
  { zh: '村（社区）', en: 'Village', width: 12, value: (e) => e.villageName },
  { zh: '网格', en: 'Grid', width: 12, value: (e) => e.gridName },
  { zh: '单元格代码', en: 'Cell code', width: 20, value: (e) => e.areaCode },
  { zh: '风险等级', en: 'Risk level', width: 8, value: (e) => e.riskLevel },
  {
    zh: '管控级别',
    en: 'Grade',
    width: 8,
    value: (e, l) => (e.supervisionGrade ? labelOf(SUPERVISION_GRADES, l, e.supervisionGrade) : ''),
  },
  { zh: '风险颜色', en: 'Risk colour', width: 12, value: (e, l) => labelOf(RISK_COLOURS, l, e.riskColour) },
  { zh: '上次走访', en: 'Last visit', width: 17, value: (e) => shanghaiText(e.lastVisitAt) },
  { zh: '下次应访日', en: 'Next due', width: 12, value: (e) => e.nextDueOn },
  { zh: '走访状态', en: 'Due status', width: 12, value: (e, l) => labelOf(DUE_STATUSES, l, e.dueStatus) },
];

function csvCell(value: Value): string {
  const text = value === null ? '' : String(value);
  // A leading = + - @ would be a formula in a spreadsheet: quote it as text.
  const safe = typeof value === 'string' && /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The line every export opens with: who exported it and when (Shanghai time), so a copy that travels says whose it is. */
function provenance(exportedBy: string, exportedAt: Date, language: Language): [string, string] {
  const at = `${shanghaiText(exportedAt.toISOString())}（北京时间）`;
  return language === 'zh' ? [`导出人：${exportedBy}`, `导出时间：${at}`] : [`Exported by: ${exportedBy}`, `Exported at: ${at}`];
}

export interface RegisterExport {
  entries: readonly EntryListView[];
  exportedBy: string;
  exportedAt: Date;
}

/** The list as CSV: UTF-8 with a BOM, CRLF; a first line naming who exported it and when, then the header and rows. */
export function registerCsv({ entries, exportedBy, exportedAt }: RegisterExport, language: Language): string {
  const lines = [
    provenance(exportedBy, exportedAt, language).map(csvCell).join(','),
    EXPORT_COLUMNS.map((column) => csvCell(column[language])).join(','),
    ...entries.map((entry) => EXPORT_COLUMNS.map((column) => csvCell(column.value(entry, language))).join(',')),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The list as an Excel workbook: the exporter and time in the first row and the file's properties, a frozen header. */
export async function registerXlsx({ entries, exportedBy, exportedAt }: RegisterExport, language: Language): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = exportedBy;
  workbook.created = exportedAt;
  const sheet = workbook.addWorksheet(language === 'zh' ? '重点人群' : 'Register', { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.columns = EXPORT_COLUMNS.map((column) => ({ width: column.width }));
  sheet.addRow(provenance(exportedBy, exportedAt, language)).font = { italic: true };
  sheet.addRow(EXPORT_COLUMNS.map((column) => column[language])).font = { bold: true };
  for (const entry of entries) sheet.addRow(EXPORT_COLUMNS.map((column) => column.value(entry, language)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
