import ExcelJS from 'exceljs';
import type { ResultRow } from './repository.ts';

/**
 * A form field as the export needs it (the form itself is checked where it is written, by
 * tasks-core's form module): its key, its label, its type, and a list's own fields.
 */
export interface ExportField {
  key: string;
  label: string;
  type: string;
  fields?: ExportField[];
}

export interface ResultsTable {
  title: string;
  fields: ExportField[];
  rows: ResultRow[];
  /** Who exported it, and when (an ISO instant): stamped on the file. */
  exportedBy: string;
  exportedAt: string;
}

type Cell = string | number | null;

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
/** An instant as Asia/Shanghai wall time, `YYYY-MM-DD HH:mm`. */
const wallTime = (instant: string) =>
  new Date(new Date(instant).getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');

/** A spreadsheet cell may not start a formula: text beginning = + - @ is quoted. */
const safeText = (value: Cell): Cell => (typeof value === 'string' && /^[=+\-@]/.test(value) ? `'${value}` : value);

/** One answer as a cell: choices joined with 、, a location as "lon,lat", a photo by its address. */
function cellOf(field: ExportField, value: unknown): Cell {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(String).join('、');
  if (field.type === 'location' && typeof value === 'object') {
    const { lon, lat } = value as { lon?: number; lat?: number };
    return `${lon},${lat}`;
  }
  if (field.type === 'photo') return `/api/tasks/photos/${String(value)}`;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? '是' : '否';
  return JSON.stringify(value);
}

const itemsOf = (row: ResultRow, field: ExportField): Record<string, unknown>[] => {
  const value = row.answers[field.key];
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
};

const BASE_HEADERS = ['单元格/网格代码', '单元格/网格', '户编码', '地址', '填报人', '填报时间（北京时间）', '经度', '纬度'];
const baseCells = (row: ResultRow): Cell[] => [
  row.areaCode,
  row.areaName,
  row.householdCode,
  row.address,
  row.responderName,
  wallTime(row.updatedAt),
  row.lon,
  row.lat,
];

const stamp = (table: ResultsTable) =>
  `${table.title}　导出人：${table.exportedBy}　导出时间：${wallTime(table.exportedAt)}（北京时间）　共 ${table.rows.length} 份填报`;

function csvCell(value: Cell): string {
  const text = value === null ? '' : String(safeText(value));
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The answers as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese), its first line the
 * stamp. A repeating list field (e.g. vehicles) becomes one line per item: the answer's own columns
 * are repeated on each of its lines, with the item's number and the item's fields in their own
 * columns, so a county office can filter, count and pivot the items (every vehicle of the village)
 * without splitting cells. With two list fields, item n of each shares line n. An answer whose lists
 * are empty keeps one line.
 */
export function resultsCsv(table: ResultsTable): string {
  const plain = table.fields.filter((field) => field.type !== 'list');
  const lists = table.fields.filter((field) => field.type === 'list');
  const header = [
    ...BASE_HEADERS,
    ...plain.map((field) => field.label),
    ...(lists.length > 0 ? ['条目序号'] : []),
    ...lists.flatMap((list) => (list.fields ?? []).map((sub) => `${list.label}-${sub.label}`)),
  ];
  const lines = [stamp(table), header.map(csvCell).join(',')];
  for (const row of table.rows) {
    const own = [...baseCells(row), ...plain.map((field) => cellOf(field, row.answers[field.key]))];
    const count = Math.max(1, ...lists.map((list) => itemsOf(row, list).length));
    for (let index = 0; index < count; index++) {
      const itemCells = lists.flatMap((list) => {
        const item = itemsOf(row, list)[index];
        return (list.fields ?? []).map((sub) => (item ? cellOf(sub, item[sub.key]) : null));
      });
      const numbered = lists.length > 0 ? [lists.some((list) => itemsOf(row, list).length > index) ? index + 1 : null] : [];
      lines.push([...own, ...numbered, ...itemCells].map(csvCell).join(','));
    }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/**
 * The answers as an Excel workbook: a sheet of one row per answer (a list field shows its number of
 * items), and one sub-sheet per repeating list field with one row per item, carrying its answer's
 * cell, household and responder so each sheet stands alone. Every sheet is stamped with who
 * exported it and when (Beijing time), its header row frozen.
 */
export async function resultsXlsx(table: ResultsTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = table.exportedBy;
  workbook.created = new Date(table.exportedAt);
  const sheet = (name: string) => {
    const added = workbook.addWorksheet(name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 2 }] });
    added.addRow([stamp(table)]).font = { bold: true };
    return added;
  };
  const answers = sheet('填报结果');
  answers.addRow([
    ...BASE_HEADERS,
    ...table.fields.map((field) => (field.type === 'list' ? `${field.label}（条数）` : field.label)),
  ]).font = { bold: true };
  for (const row of table.rows) {
    answers.addRow(
      [
        ...baseCells(row),
        ...table.fields.map((field) =>
          field.type === 'list' ? itemsOf(row, field).length : cellOf(field, row.answers[field.key]),
        ),
      ].map(safeText),
    );
  }
  answers.columns.forEach((column) => {
    column.width = 16;
  });
  for (const list of table.fields.filter((field) => field.type === 'list')) {
    const items = sheet(list.label.replace(/[*?:\\/[\]]/g, ''));
    items.addRow([...BASE_HEADERS.slice(0, 5), '条目序号', ...(list.fields ?? []).map((sub) => sub.label)]).font = {
      bold: true,
    };
    for (const row of table.rows) {
      itemsOf(row, list).forEach((item, index) => {
        items.addRow(
          [...baseCells(row).slice(0, 5), index + 1, ...(list.fields ?? []).map((sub) => cellOf(sub, item[sub.key]))].map(
            safeText,
          ),
        );
      });
    }
    items.columns.forEach((column) => {
      column.width = 16;
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
