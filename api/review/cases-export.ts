import ExcelJS from 'exceljs';
import type { Language } from '../errors.ts';
import { CASE_STATE_LABELS } from '../vocabulary/case-states.ts';
import { labelOf } from '../vocabulary/label.ts';
import { REPORT_TYPES } from '../vocabulary/report-types.ts';
import type { ReviewCaseRow } from './cases-repository.ts';
import type { CaseOutcome, Kpi, Period } from './contracts.ts';

/** What the sheet of a figure's cases says about where they come from. */
export interface CasesSheet {
  areaCode: string;
  areaName: string;
  kpi: Pick<Kpi, 'label' | 'formula'>;
  outcome: CaseOutcome;
  period: Period;
  /** One month instead of the period, when the figure was a month's. */
  month: string | null;
  items: readonly ReviewCaseRow[];
  exportedBy: string;
  /** An ISO instant: stamped on the sheet in Beijing time. */
  exportedAt: string;
}

const OUTCOME_LABELS: Record<CaseOutcome, { zh: string; en: string }> = {
  numerator: { zh: '计入分子', en: 'Above the line' },
  denominator: { zh: '计入分母', en: 'Below the line' },
  outside: { zh: '计入分母未计入分子', en: 'Below the line, not above' },
  deferred: { zh: '缓办（不计入）', en: 'Deferred (left out)' },
};

const HEADERS: { zh: string; en: string }[] = [
  { zh: '案件编号', en: 'Case number' },
  { zh: '类型', en: 'Type' },
  { zh: '状态', en: 'State' },
  { zh: '单元格代码', en: 'Cell code' },
  { zh: '上报时间', en: 'Reported' },
  { zh: '到期时间', en: 'Due' },
  { zh: '结案时间', en: 'Closed' },
  { zh: '按期结案', en: 'On time' },
  { zh: '缓办', en: 'Deferred' },
  { zh: '已处置', en: 'Handled' },
  { zh: '返工', en: 'Reworked' },
  { zh: '当场处置', en: 'On the spot' },
  { zh: '主办部门', en: 'Lead department' },
  { zh: '计入分子', en: 'Above the line' },
];

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const wallTime = (instant: string) =>
  new Date(new Date(instant).getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');

/**
 * The cases behind one figure as an Excel workbook: titled with the KPI, the side of the line, the
 * area and the period, stamped with who exported it and when (Beijing time), the KPI's formula
 * under the title, the header row frozen, one row per case.
 */
export async function reviewCasesXlsx(sheet: CasesSheet, language: Language): Promise<Buffer> {
  const yes = language === 'zh' ? '是' : 'yes';
  const no = language === 'zh' ? '否' : 'no';
  const flag = (value: boolean) => (value ? yes : no);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = sheet.exportedBy;
  workbook.created = new Date(sheet.exportedAt);
  const worksheet = workbook.addWorksheet(language === 'zh' ? '案件' : 'Cases', { views: [{ state: 'frozen', ySplit: 4 }] });
  const period = sheet.month ?? `${sheet.period.from} – ${sheet.period.to}`;
  worksheet.addRow([
    `${sheet.areaName}（${sheet.areaCode}）${sheet.kpi.label[language]} · ${OUTCOME_LABELS[sheet.outcome][language]}（${period}）`,
  ]).font = { bold: true, size: 14 };
  worksheet.addRow([
    language === 'zh'
      ? `导出人：${sheet.exportedBy}　导出时间：${wallTime(sheet.exportedAt)}（北京时间）　共 ${sheet.items.length} 件`
      : `Exported by ${sheet.exportedBy} at ${wallTime(sheet.exportedAt)} (Beijing time), ${sheet.items.length} cases`,
  ]);
  worksheet.addRow([sheet.kpi.formula[language]]);
  worksheet.addRow(HEADERS.map((header) => header[language])).font = { bold: true };
  for (const item of sheet.items) {
    const type = REPORT_TYPES[item.type as keyof typeof REPORT_TYPES];
    worksheet.addRow([
      item.caseNumber,
      type ? type[language] : item.type,
      labelOf(CASE_STATE_LABELS, language, item.state),
      item.cellCode,
      wallTime(item.reportedAt),
      wallTime(item.dueAt),
      item.closedAt ? wallTime(item.closedAt) : '',
      flag(item.closedOnTime),
      flag(item.deferred),
      flag(item.handled),
      flag(item.reworked),
      flag(item.onSpot),
      item.assignedDepartmentCode ?? '',
      flag(item.inNumerator),
    ]);
  }
  worksheet.columns.forEach((column, index) => {
    column.width = index === 0 || index === 3 ? 22 : index >= 4 && index <= 6 ? 17 : 10;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
