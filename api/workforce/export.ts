import ExcelJS from 'exceljs';
import type { Language } from '../errors.ts';
import { labelOf } from '../vocabulary/label.ts';
import { CERTIFICATES, EXAM_STATUSES } from '../vocabulary/workforce.ts';
import type { CertificationRate, WorkerView } from './service.ts';

type Value = string | number | null;

interface Column<Row> {
  zh: string;
  en: string;
  width: number;
  value: (row: Row, language: Language) => Value;
}

const WORKER_COLUMNS: Column<WorkerView>[] = [
  { zh: '乡镇', en: 'Township', width: 12, value: (row) => row.townshipName },
  { zh: '村/社区', en: 'Village', width: 12, value: (row) => row.villageName },
  { zh: '网格', en: 'Grid', width: 14, value: (row) => row.gridName ?? row.gridCode },
  { zh: '网格编码', en: 'Grid code', width: 18, value: (row) => row.gridCode },
  { zh: '网格员', en: 'Grid worker', width: 10, value: (row) => row.name },
  { zh: '电话', en: 'Phone', width: 14, value: (row) => row.phone },
  { zh: '社工证', en: 'Certificate', width: 16, value: (row, language) => labelOf(CERTIFICATES, language, row.certificate) },
  { zh: '证书编号', en: 'Certificate number', width: 16, value: (row) => row.certificateNumber },
  { zh: '取证日期', en: 'Certified on', width: 12, value: (row) => row.certifiedOn },
  { zh: '考试', en: 'Exam', width: 10, value: (row, language) => labelOf(EXAM_STATUSES, language, row.examStatus) },
  { zh: '考试年份', en: 'Exam year', width: 9, value: (row) => row.examYear },
  { zh: '本年培训学时', en: 'Training hours this year', width: 12, value: (row) => row.trainingHours },
  {
    zh: '满意度均分',
    en: 'Survey mean',
    width: 10,
    value: (row) => (row.surveyMean === null ? null : Math.round(row.surveyMean * 100) / 100),
  },
  { zh: '调查份数', en: 'Surveys', width: 9, value: (row) => row.surveys },
];

const RATE_COLUMNS: Column<CertificationRate>[] = [
  { zh: '乡镇', en: 'Township', width: 14, value: (row) => row.name ?? row.code },
  { zh: '编码', en: 'Code', width: 12, value: (row) => row.code },
  { zh: '网格员', en: 'Grid workers', width: 10, value: (row) => row.workers },
  { zh: '持证', en: 'Certified', width: 10, value: (row) => row.certified },
  { zh: '持证率', en: 'Certification rate', width: 10, value: (row) => row.rate },
];

function addSheet<Row>(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: Column<Row>[],
  rows: readonly Row[],
  language: Language,
) {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ header: column[language], width: column.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(columns.map((column) => column.value(row, language)));
  return sheet;
}

/** The workforce list as an Excel workbook: the grid workers, and the certification rate per township (as a percentage). */
export async function workforceXlsx(
  list: { year: number; workers: readonly WorkerView[]; townships: readonly CertificationRate[] },
  language: Language,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '网格化管理指挥中心';
  addSheet(
    workbook,
    language === 'zh' ? `网格员 ${list.year}` : `Grid workers ${list.year}`,
    WORKER_COLUMNS,
    list.workers,
    language,
  );
  const rates = addSheet(workbook, language === 'zh' ? '持证率' : 'Certification', RATE_COLUMNS, list.townships, language);
  rates.getColumn(5).numFmt = '0.0%';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
