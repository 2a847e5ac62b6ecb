import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';

/**
 * Streams the rows of a frame file (CSV or the first sheet of an XLSX) as text cells with their line
 * numbers, reporting bytes read, so a 1,000,000-row file is read in bounded memory.
 */

export type FrameFileKind = 'csv' | 'xlsx';

export interface RawRow {
  /** 1-based line (CSV) or sheet row (XLSX); the header is row 1. */
  row: number;
  cells: string[];
}

export function kindOf(fileName: string): FrameFileKind | null {
  const lower = fileName.toLowerCase();
  return lower.endsWith('.csv') ? 'csv' : lower.endsWith('.xlsx') ? 'xlsx' : null;
}

/** How a frame's CSV is parsed (also the floor bench:sampling measures the import against). */
export const FRAME_CSV_OPTIONS = { bom: true, relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: 64 * 1024 } as const;
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

async function* csvRows(path: string, onBytes: (n: number) => void): AsyncGenerator<RawRow> {
  const parser = countingStream(path, onBytes).pipe(parse(FRAME_CSV_OPTIONS));
  for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield { row: record.info.lines, cells: record.record };
  }
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

export function readFrameFile(path: string, kind: FrameFileKind, onBytes: (n: number) => void): AsyncGenerator<RawRow> {
  return kind === 'csv' ? csvRows(path, onBytes) : xlsxRows(path, onBytes);
}
