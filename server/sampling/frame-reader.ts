import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { Parser } from 'csv-parse';
import ExcelJS from 'exceljs';

/**
 * Streams the rows of a frame file (CSV or the first sheet of an XLSX) as text cells with their line
 * numbers, reporting bytes read, so a 1,000,000-row file is read in bounded memory.
 */

export type FrameFileKind = 'csv' | 'xlsx';

export interface RawRow {
  /** 1-based line (CSV: the last line of the record, when a quoted cell spans lines) or sheet row (XLSX); the header is row 1. */
  row: number;
  cells: string[];
}

export function kindOf(fileName: string): FrameFileKind | null {
  const lower = fileName.toLowerCase();
  return lower.endsWith('.csv') ? 'csv' : lower.endsWith('.xlsx') ? 'xlsx' : null;
}

/** How a frame's CSV is parsed (also the floor bench:sampling measures the import against). */
export const FRAME_CSV_OPTIONS = { bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: 64 * 1024 } as const;
/** Bytes read from a frame file at a time. */
export const FRAME_READ_CHUNK = 256 * 1024;

function countingStream(path: string, onBytes: (n: number) => void): PassThrough {
  const counter = new PassThrough();
  const source = createReadStream(path, { highWaterMark: FRAME_READ_CHUNK });
  source.on('data', (chunk) => onBytes(chunk.length));
  source.on('error', (error) => counter.destroy(error));
  return source.pipe(counter);
}

/** Text of an XLSX cell. A numeric tax code lost its leading zero in Excel: 9 digits are padded back to 10. */
function cellText(value: ExcelJS.CellValue, column: number, taxCodeColumn: number): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    const text = Number.isInteger(value) ? value.toFixed(0) : String(value);
    return column === taxCodeColumn && /^\d{9}$/.test(text) ? '0' + text : text;
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('text' in value) return String(value.text);
  if ('result' in value) return value.result === undefined || value.result === null ? '' : String(value.result);
  return '';
}

/**
 * csv-parse with each record's line number. Its `info` option would give it too, but builds an object of
 * a dozen fields for every record (a fifth of the parse); the parser's running count, read as each record
 * is pushed, is the same number.
 */
class NumberedCsvParser extends Parser {
  override push(record: string[] | null): boolean {
    return super.push(record === null ? null : ({ row: this.info.lines, cells: record } satisfies RawRow));
  }
}

function csvRows(path: string, onBytes: (n: number) => void): AsyncIterable<RawRow> {
  return countingStream(path, onBytes).pipe(new NumberedCsvParser(FRAME_CSV_OPTIONS));
}

async function* xlsxRows(path: string, onBytes: (n: number) => void): AsyncGenerator<RawRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(countingStream(path, onBytes), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  let taxCodeColumn = -1;
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = (row.values as ExcelJS.CellValue[]).slice(1); // ExcelJS rows are 1-based
      if (row.number === 1) {
        taxCodeColumn = values.findIndex((v) => ['tax_code', 'mst', 'ma_so_thue'].includes(String(v ?? '').trim().toLowerCase()));
      }
      const cells = Array.from(values, (v, i) => cellText(v, i, taxCodeColumn));
      if (cells.some((c) => c.trim() !== '')) yield { row: row.number, cells };
    }
    return; // the first sheet only
  }
}

export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}

export function readFrameFile(path: string, kind: FrameFileKind, onBytes: (n: number) => void): AsyncIterable<RawRow> {
  return kind === 'csv' ? csvRows(path, onBytes) : xlsxRows(path, onBytes);
}
