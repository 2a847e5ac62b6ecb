import { UNSAFE_TEXT } from '../text.js';
import type { Message } from '../i18n/index.js';
import type { RowError } from '../result.js';

/**
 * One row of a sampling frame file: a business and one of its dealings with a unit. Pure checking of a
 * row against the rules of docs/design.md §5; headers may be English or Vietnamese (without diacritics).
 */

export const SIZE_BANDS = ['micro', 'small', 'medium', 'large', 'unknown'] as const;
export type SizeBand = (typeof SIZE_BANDS)[number];
export type DealingSource = 'procedure' | 'unit_list';

export interface FrameRow {
  row: number;
  taxCode: string;
  name: string;
  address: string;
  district: string;
  sector: string;
  sizeBand: SizeBand;
  email: string;
  phone: string;
  unitCode: string;
  dealings: number;
  source: DealingSource;
}

type Field = Exclude<keyof FrameRow, 'row'>;

/** Column → accepted header spellings (compared lower-case, spaces as underscores). */
const HEADERS: Record<Field, string[]> = {
  taxCode: ['tax_code', 'mst', 'ma_so_thue'],
  name: ['name', 'ten', 'ten_doanh_nghiep'],
  address: ['address', 'dia_chi'],
  district: ['district', 'huyen'],
  sector: ['sector', 'nganh', 'nganh_nghe'],
  sizeBand: ['size_band', 'quy_mo'],
  email: ['email'],
  phone: ['phone', 'dien_thoai', 'so_dien_thoai'],
  unitCode: ['unit_code', 'ma_don_vi'],
  dealings: ['dealings', 'count', 'so_lan'],
  source: ['source', 'nguon'],
};
const REQUIRED: Field[] = ['taxCode', 'name', 'unitCode'];

const SIZE_ALIASES: Record<string, SizeBand> = {
  micro: 'micro', 'siêu nhỏ': 'micro', 'sieu nho': 'micro',
  small: 'small', 'nhỏ': 'small', nho: 'small',
  medium: 'medium', 'vừa': 'medium', vua: 'medium',
  large: 'large', 'lớn': 'large', lon: 'large',
  '': 'unknown', unknown: 'unknown',
};
const SOURCE_ALIASES: Record<string, DealingSource> = {
  '': 'procedure', procedure: 'procedure', tthc: 'procedure', thu_tuc: 'procedure',
  unit_list: 'unit_list', danh_sach: 'unit_list', list: 'unit_list',
};

const TAX_CODE = /^\d{10}(-\d{3})?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 .-]{7,18}$/;
const LIMITS: Partial<Record<Field, number>> = { name: 300, address: 500, district: 100, sector: 150, email: 254, phone: 20 };
const LIMIT_ENTRIES = Object.entries(LIMITS) as [Field, number][];
export const MAX_DEALINGS = 1_000_000;

export type ColumnMap = Record<Field, number>;
const FIELDS = Object.keys(HEADERS) as Field[];

/** Maps header cells to columns; names the missing required ones. */
export function mapHeader(cells: string[]): { ok: true; columns: ColumnMap } | { ok: false; missing: string[] } {
  const normalised = cells.map((c) => c.trim().toLowerCase().replace(/\s+/g, '_'));
  const columns = {} as ColumnMap;
  for (const field of FIELDS) {
    columns[field] = normalised.findIndex((h) => HEADERS[field].includes(h));
  }
  const missing = REQUIRED.filter((f) => columns[f] < 0).map((f) => HEADERS[f][0]!);
  return missing.length ? { ok: false, missing } : { ok: true, columns };
}

export type RowCheck = { ok: true; row: FrameRow } | { ok: false; errors: RowError[] };

/**
 * Checks one data row; `row` is its 1-based line number in the file. `ownUnits`: a unit contact's units —
 * its list may name only them, and every row of it is the unit's own list (docs/design.md §5).
 */
export function checkFrameRow(cells: string[], row: number, columns: ColumnMap, unitCodes: ReadonlySet<string>, ownUnits?: ReadonlySet<string>): RowCheck {
  const errors: RowError[] = [];
  const fail = (field: Field, reason: Message) => errors.push({ row, column: HEADERS[field][0]!, reason });
  // Each cell trimmed once: this runs for every row of a million-row file.
  const values = {} as Record<Field, string>;
  for (const field of FIELDS) {
    const column = columns[field];
    const text = column >= 0 ? (cells[column] ?? '').trim() : '';
    // A NUL or bytes that are not UTF-8 (decoded as U+FFFD) would be refused by the database or stored mangled.
    if (UNSAFE_TEXT.test(text)) fail(field, { key: 'csv.badCharacters' });
    values[field] = text;
  }
  if (errors.length) return { ok: false, errors };
  const { taxCode, email, phone, unitCode } = values;

  if (!taxCode) fail('taxCode', { key: 'field.required' });
  else if (!TAX_CODE.test(taxCode)) fail('taxCode', { key: 'frame.taxCode' });
  if (!values.name) fail('name', { key: 'field.required' });
  for (const [field, limit] of LIMIT_ENTRIES) {
    if (values[field].length > limit) fail(field, { key: 'field.tooLong', params: { limit } });
  }
  if (email && email.length <= 254 && !EMAIL.test(email)) fail('email', { key: 'frame.email' });
  if (phone && phone.length <= 20 && !PHONE.test(phone)) fail('phone', { key: 'frame.phone' });
  const sizeBand = SIZE_ALIASES[values.sizeBand.toLowerCase()];
  if (!sizeBand) fail('sizeBand', { key: 'frame.sizeBand' });
  if (!unitCode) fail('unitCode', { key: 'field.required' });
  else if (!unitCodes.has(unitCode)) fail('unitCode', { key: 'frame.unknownUnit', params: { code: unitCode.slice(0, 40) } });
  else if (ownUnits && !ownUnits.has(unitCode)) fail('unitCode', { key: 'frame.notOwnUnit', params: { code: unitCode.slice(0, 40), units: [...ownUnits].join(', ') } });
  const dealingsText = values.dealings;
  const dealings = dealingsText === '' ? 1 : Number(dealingsText);
  if (!Number.isInteger(dealings) || dealings < 1 || dealings > MAX_DEALINGS) fail('dealings', { key: 'frame.dealings' });
  const given = SOURCE_ALIASES[values.source.toLowerCase()];
  const source = ownUnits ? (values.source === '' || given === 'unit_list' ? 'unit_list' : undefined) : given;
  if (!source) fail('source', { key: ownUnits ? 'frame.ownListSource' : 'frame.source' });

  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    row: {
      row,
      taxCode,
      name: values.name,
      address: values.address,
      district: values.district,
      sector: values.sector,
      sizeBand: sizeBand!,
      email: email.toLowerCase(),
      phone,
      unitCode,
      dealings,
      source: source!,
    },
  };
}
