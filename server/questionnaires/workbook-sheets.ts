import ExcelJS from 'exceljs';
import { translate, type MessageKey, type MessageParams } from '../i18n/index.js';
import type { Text } from './types.js';
import { inLang, type Lang, type WorkbookProblem } from './workbook-columns.js';

/** Reading a workbook's sheets: cells as text, column names made one, problems with where they are. */

export interface SheetRow {
  row: number;
  cells: Map<string, string>;
}

export interface Sheet {
  name: string;
  columns: string[];
  rows: SheetRow[];
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('').trim();
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text).trim();
    if (value instanceof Date) return value.toISOString().slice(0, 10);
  }
  return String(value).trim();
}

/** Which of our languages a column's language part names: `Tiếng Việt (vi)`, `Vietnamese (vi)`, `vi`, `English`… */
function languageOf(part: string): Lang | undefined {
  const code = /\((\w+)\)\s*$/.exec(part)?.[1]?.toLowerCase() ?? part.trim().toLowerCase();
  if (['vi', 'vie', 'vietnamese', 'tiếng việt'].includes(code)) return 'vi';
  if (['en', 'eng', 'english', 'tiếng anh'].includes(code)) return 'en';
  return undefined;
}

/**
 * A column name as written, with XLSForm's spellings made one: `list name` = `list_name`, any case, and a
 * language column in any of XLSForm's forms (`label::Vietnamese (vi)`, `label::vi`) as ours.
 */
function columnKey(header: string): string {
  const name = header.trim().replace(/^list name$/i, 'list_name').replace(/^(\w+)(?=::|$)/, (w) => w.toLowerCase());
  const [base, language] = name.split('::');
  const lang = language === undefined ? undefined : languageOf(language);
  return lang ? inLang(base!, lang) : name;
}

export function readSheet(worksheet: ExcelJS.Worksheet): Sheet {
  const columns: string[] = [];
  worksheet.getRow(1).eachCell({ includeEmpty: true }, (cell, i) => (columns[i - 1] = columnKey(cellText(cell.value))));
  const rows: SheetRow[] = [];
  worksheet.eachRow((row, number) => {
    if (number === 1) return;
    const cells = new Map<string, string>();
    row.eachCell({ includeEmpty: false }, (cell, i) => {
      const text = cellText(cell.value);
      if (text && columns[i - 1]) cells.set(columns[i - 1]!, text);
    });
    if (cells.size) rows.push({ row: number, cells });
  });
  return { name: worksheet.name.trim().toLowerCase(), columns: columns.filter(Boolean), rows };
}

/** Where a JSON pointer of the documents came from in the workbook. */
export type Origin = { sheet: string; row?: number; column?: string };

export class Reader {
  readonly problems: WorkbookProblem[] = [];
  readonly origins = new Map<string, Origin>();

  constructor(readonly sheets: Map<string, Sheet>) {}

  report(where: Origin, key: MessageKey, params: MessageParams = {}): void {
    const place = where.row === undefined ? where.sheet : `${where.sheet}, row ${where.row}`;
    this.problems.push({ ...where, message: { key, params }, problem: `${place}${where.column ? `, ${where.column}` : ''}: ${translate('en', key, params)}` });
  }

  /** The text of a language column, falling back to the bare column for Vietnamese (XLSForm's default language). */
  text(sheet: string, row: SheetRow, base: string, required: boolean): Text | undefined {
    const vi = row.cells.get(inLang(base, 'vi')) ?? row.cells.get(base);
    const en = row.cells.get(inLang(base, 'en'));
    if (!vi && !en && !required) return undefined;
    for (const [lang, value] of [['vi', vi], ['en', en]] as const) if (!value) this.report({ sheet, row: row.row, column: inLang(base, lang) }, 'workbook.textMissing');
    return { vi: vi ?? '', en: en ?? '' };
  }

  /** Columns this reader does not know, refused where they hold something (the platform cannot honour them). */
  refuseUnknown(sheet: Sheet, known: (column: string) => boolean): void {
    for (const column of sheet.columns) {
      if (known(column)) continue;
      const first = sheet.rows.find((r) => r.cells.has(column));
      if (first) this.report({ sheet: sheet.name, row: first.row, column }, 'workbook.unknownColumn', { column });
    }
  }

  number(where: Origin, text: string | undefined): number | undefined {
    if (text === undefined) return undefined;
    const value = Number(text.replace(',', '.'));
    if (!Number.isFinite(value)) this.report(where, 'workbook.notANumber', { value: text });
    return value;
  }
}

export const knownColumn = (bases: string[]) => (column: string) => bases.some((b) => column === b || column.startsWith(`${b}::`));
export const yes = (text: string | undefined) => /^(yes|true|true\(\)|1|có)$/i.test(text ?? '');
export const isNo = (text: string | undefined) => text === undefined || /^(no|false|false\(\)|0|không)$/i.test(text);

