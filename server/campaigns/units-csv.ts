import { UNSAFE_TEXT } from '../text.js';
import { parse } from 'csv-parse/sync';
import type { Message } from '../i18n/index.js';
import type { RowError } from '../result.js';
import { UNIT_CODE_PATTERN, UNIT_NAME_MAX } from './schemas.js';

/** Pure parsing and checking of a units CSV (`code,block,name_vi,name_en`). */

export interface UnitInput {
  code: string;
  /** A block code of the campaign's methodology. */
  block: string;
  nameVi: string;
  nameEn: string;
}

export type UnitsCsvResult = { ok: true; units: UnitInput[] } | { ok: false; errors: RowError[] };

const COLUMNS = ['code', 'block', 'name_vi', 'name_en'] as const;
export const MAX_UNIT_ROWS = 500;
const codePattern = new RegExp(UNIT_CODE_PATTERN);

/**
 * Unit links (`code,previous_code` per line, no header needed): each code must be a unit of this campaign,
 * each previous code a unit of last year's; every bad line is reported.
 */
export function parseUnitLinks(text: string, codes: ReadonlySet<string>, previousCodes: ReadonlySet<string>): { ok: true; links: { code: string; previous: string }[] } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  const links = new Map<string, { code: string; previous: string }>();
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, i) => {
      const [code = '', previous = '', ...rest] = line.split(',').map((c) => c.trim());
      if (!code && !previous) return;
      if (code === 'code' && previous === 'previous_code') return; // a header line
      const row = i + 1;
      if (rest.some(Boolean)) errors.push({ row, column: '', reason: { key: 'series.linkColumns' } });
      else if (!codes.has(code)) errors.push({ row, column: 'code', reason: { key: 'series.unknownUnit', params: { code } } });
      else if (!previousCodes.has(previous)) errors.push({ row, column: 'previous_code', reason: { key: 'series.unknownPrevious', params: { code: previous } } });
      else links.set(`${code}\u0000${previous}`, { code, previous });
    });
  return errors.length ? { ok: false, errors } : { ok: true, links: [...links.values()] };
}

/** `blocks`: the block codes the campaign's methodology defines. */
export function parseUnitsCsv(text: string, blocks: readonly string[], existingCodes: ReadonlySet<string> = new Set()): UnitsCsvResult {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ row: 0, column: '', reason: { key: 'csv.unreadable', params: { detail } } }] };
  }
  const [header, ...rows] = records;
  const names = (header ?? []).map((h) => h.toLowerCase());
  const missing = COLUMNS.filter((c) => !names.includes(c));
  if (!header || missing.length > 0) {
    return { ok: false, errors: [{ row: 1, column: missing.join(', '), reason: { key: 'csv.missingColumns', params: { columns: missing.join(', ') } } }] };
  }
  if (rows.length === 0) return { ok: false, errors: [{ row: 2, column: '', reason: { key: 'csv.empty' } }] };
  if (rows.length > MAX_UNIT_ROWS) {
    return { ok: false, errors: [{ row: MAX_UNIT_ROWS + 2, column: '', reason: { key: 'csv.tooManyRows', params: { max: MAX_UNIT_ROWS } } }] };
  }

  const at = Object.fromEntries(COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<(typeof COLUMNS)[number], number>;
  const errors: RowError[] = [];
  const units: UnitInput[] = [];
  const seen = new Map<string, number>();
  rows.forEach((cells, i) => {
    const row = i + 2;
    const value = (column: (typeof COLUMNS)[number]) => cells[at[column]] ?? '';
    const fail = (column: string, reason: Message) => errors.push({ row, column, reason });
    const unsafe = COLUMNS.filter((c) => UNSAFE_TEXT.test(value(c)));
    if (unsafe.length) return unsafe.forEach((c) => fail(c, { key: 'csv.badCharacters' }));
    const code = value('code');
    const block = value('block').toLowerCase();
    if (!code) fail('code', { key: 'field.required' });
    else if (!codePattern.test(code)) fail('code', { key: 'field.unitCode' });
    else if (seen.has(code)) fail('code', { key: 'csv.duplicateInFile', params: { code, row: seen.get(code)! } });
    else if (existingCodes.has(code)) fail('code', { key: 'units.duplicateCode', params: { code } });
    if (code) seen.set(code, seen.get(code) ?? row);
    if (!blocks.includes(block)) fail('block', { key: 'units.unknownBlock', params: { blocks: blocks.join(', ') } });
    for (const column of ['name_vi', 'name_en'] as const) {
      const name = value(column);
      if (!name) fail(column, { key: 'field.required' });
      else if (name.length > UNIT_NAME_MAX) fail(column, { key: 'field.tooLong', params: { limit: UNIT_NAME_MAX } });
    }
    units.push({ code, block, nameVi: value('name_vi'), nameEn: value('name_en') });
  });
  return errors.length ? { ok: false, errors } : { ok: true, units };
}
