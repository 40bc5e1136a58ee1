import ExcelJS from 'exceljs';
import type { Language } from '../errors.ts';
import { type KpiKey, OVERALL_FORMULA } from '../vocabulary/review.ts';
import type { Kpi, Period } from './contracts.ts';

/** A row of a review table: its naming columns, then its KPIs and overall score. */
interface ReviewTableRow {
  names: (string | number | null)[];
  kpis: readonly Kpi[];
  score: number | null;
  grade: string | null;
}

export interface ReviewTable {
  title: { zh: string; en: string };
  /** Headers of the naming columns. */
  nameHeaders: { zh: string; en: string }[];
  rows: ReviewTableRow[];
  period: Period;
  /** Who exported it, and when (an ISO instant): stamped on the sheet. */
  exportedBy: string;
  exportedAt: string;
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const wallTime = (instant: string) =>
  new Date(new Date(instant).getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');

/** A spreadsheet cell may not start a formula: text beginning = + - @ is quoted. */
const safeText = (value: string | number | null) => (typeof value === 'string' && /^[=+\-@]/.test(value) ? `'${value}` : value);

/**
 * A review table as an Excel workbook: one sheet, stamped with the period, who exported it and
 * when (Shanghai time), the table's header row frozen, each KPI its value with its grade beside it,
 * and a second sheet of the formulas.
 */
export async function reviewXlsx(table: ReviewTable, language: Language): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = table.exportedBy;
  workbook.created = new Date(table.exportedAt);
  const sheet = workbook.addWorksheet(language === 'zh' ? '考评' : 'Review', { views: [{ state: 'frozen', ySplit: 3 }] });
  const keys: KpiKey[] = (table.rows[0]?.kpis ?? []).map((kpi) => kpi.key);
  const labels = new Map((table.rows[0]?.kpis ?? []).map((kpi) => [kpi.key, kpi]));
  sheet.addRow([`${table.title[language]}（${table.period.from} – ${table.period.to}）`]).font = { bold: true, size: 14 };
  sheet.addRow([
    language === 'zh'
      ? `导出人：${table.exportedBy}　导出时间：${wallTime(table.exportedAt)}（北京时间）`
      : `Exported by ${table.exportedBy} at ${wallTime(table.exportedAt)} (Beijing time)`,
  ]);
  const header = [
    ...table.nameHeaders.map((name) => name[language]),
    ...keys.flatMap((key) => {
      const kpi = labels.get(key)!;
      const unit = kpi.unit === 'minutes' ? (language === 'zh' ? '（分钟）' : ' (min)') : '';
      return kpi.grade === null && kpi.unit === 'minutes'
        ? [`${kpi.label[language]}${unit}`]
        : [`${kpi.label[language]}${unit}`, language === 'zh' ? '等级' : 'Grade'];
    }),
    language === 'zh' ? '综合得分' : 'Overall',
    language === 'zh' ? '综合等级' : 'Grade',
  ];
  sheet.addRow(header).font = { bold: true };
  for (const row of table.rows) {
    sheet.addRow([
      ...row.names.map(safeText),
      ...row.kpis.flatMap((kpi) => (kpi.unit === 'minutes' ? [kpi.value] : [kpi.value, kpi.grade ?? ''])),
      row.score,
      row.grade ?? '',
    ]);
  }
  sheet.columns.forEach((column, index) => {
    column.width = index < table.nameHeaders.length ? 18 : 10;
  });
  const formulas = workbook.addWorksheet(language === 'zh' ? '计算公式' : 'Formulas');
  formulas.addRow([language === 'zh' ? '指标' : 'KPI', language === 'zh' ? '公式' : 'Formula']).font = { bold: true };
  for (const key of keys) formulas.addRow([labels.get(key)!.label[language], labels.get(key)!.formula[language]]);
  formulas.addRow([language === 'zh' ? '综合得分' : 'Overall', OVERALL_FORMULA[language]]);
  formulas.getColumn(1).width = 20;
  formulas.getColumn(2).width = 100;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
