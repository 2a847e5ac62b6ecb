import { ByteWriter, utf8Within } from './binary.js';
import { DONT_KNOW_CELL, type LabelledTable, type LabelledVariable } from './labelled.js';

/**
 * An SPSS system file (.sav, uncompressed, UTF-8 — character code 65001), written from the PSPP description
 * of the format: long variable names, variable and value labels, "don't know" as a declared missing value
 * with its label, display measures. Strings are at most 255 bytes (the microdata's longest is far shorter).
 */
export const SAV_DONT_KNOW = -9;
const SYSMIS = -Number.MAX_VALUE;
const MEASURE = { nominal: 1, ordinal: 2, scale: 3 } as const;

const segments = (width: number) => Math.ceil(width / 8);
const stringWidth = (table: LabelledTable, column: number) =>
  Math.max(1, ...table.rows.map((row) => Buffer.byteLength(String(row[column] ?? ''), 'utf8')));

/** Unique upper-case names of at most 8 bytes, as the dictionary needs next to the long names. */
function shortNames(variables: LabelledVariable[]): string[] {
  const used = new Set<string>();
  return variables.map((v) => {
    const base = v.name.toUpperCase().replace(/[^A-Z0-9_]/g, '_').replace(/^[^A-Z]/, 'V').slice(0, 8);
    let name = base;
    for (let i = 1; used.has(name); i++) name = base.slice(0, 8 - String(i).length) + String(i);
    used.add(name);
    return name;
  });
}

export function writeSav(table: LabelledTable, created = new Date()): Buffer {
  const widths = table.variables.map((v, i) => (v.kind === 'string' ? stringWidth(table, i) : 0));
  if (widths.some((w) => w > 255)) throw new Error('a string column is longer than 255 bytes');
  const names = shortNames(table.variables);
  const caseSegments = widths.reduce((sum, w) => sum + (w ? segments(w) : 1), 0);
  const out = new ByteWriter();

  // File header.
  const two = (n: number) => String(n).padStart(2, '0');
  const month = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'][created.getUTCMonth()]!;
  out.ascii('$FL2').fixed('@(#) SPSS DATA FILE DDCI survey platform', 60, 0x20);
  out.i32(2).i32(caseSegments).i32(0).i32(0).i32(table.rows.length).f64(100);
  out.fixed(`${two(created.getUTCDate())} ${month} ${two(created.getUTCFullYear() % 100)}`, 9, 0x20);
  out.fixed(`${two(created.getUTCHours())}:${two(created.getUTCMinutes())}:${two(created.getUTCSeconds())}`, 8, 0x20);
  out.fixed(table.label, 64, 0x20).fixed('', 3);

  // Variable records: one per 8-byte segment, continuation records after a long string.
  const index: number[] = []; // 1-based dictionary index of each variable, for value label records
  let position = 1;
  table.variables.forEach((v, i) => {
    index.push(position);
    const width = widths[i]!;
    const format = width ? (1 << 16) | (Math.min(width, 255) << 8) : (5 << 16) | (12 << 8) | (v.measure === 'scale' ? 4 : 0);
    const label = utf8Within(v.label, 255);
    const missing = v.kind === 'numeric' && v.dontKnow ? [SAV_DONT_KNOW] : [];
    out.i32(2).i32(width).i32(1).i32(missing.length).i32(format).i32(format).fixed(names[i]!, 8, 0x20);
    out.i32(label.length).bytes(label).fixed('', (4 - (label.length % 4)) % 4);
    for (const value of missing) out.f64(value);
    for (let s = 1; s < (width ? segments(width) : 1); s++) out.i32(2).i32(-1).i32(0).i32(0).i32(0).i32(0).fixed('', 8, 0x20);
    position += width ? segments(width) : 1;
  });

  // Value labels (numeric variables): the codes, and "don't know" on its missing value.
  table.variables.forEach((v, i) => {
    const labels = [...(v.valueLabels ?? []), ...(v.kind === 'numeric' && v.dontKnow ? [{ value: SAV_DONT_KNOW, label: v.dontKnow }] : [])];
    if (!labels.length) return;
    out.i32(3).i32(labels.length);
    for (const { value, label } of labels) {
      const text = utf8Within(label, 120);
      out.f64(value).u8(text.length).bytes(text).fixed('', (8 - ((text.length + 1) % 8)) % 8);
    }
    out.i32(4).i32(1).i32(index[i]!);
  });

  // Machine integer and floating-point info, display measures, long names, encoding.
  const info = (subtype: number, size: number, count: number) => out.i32(7).i32(subtype).i32(size).i32(count);
  info(3, 4, 8).i32(1).i32(0).i32(0).i32(-1).i32(1).i32(1).i32(2).i32(65001);
  info(4, 8, 3).f64(SYSMIS).f64(Number.MAX_VALUE).f64(-1.7976931348623155e308);
  info(11, 4, 3 * table.variables.length);
  table.variables.forEach((v, i) => out.i32(MEASURE[v.measure]).i32(Math.min(Math.max(widths[i]!, 8), 40)).i32(v.kind === 'string' ? 0 : 1));
  const long = Buffer.from(table.variables.map((v, i) => `${names[i]}=${v.name}`).join('\t'), 'utf8');
  info(13, 1, long.length).bytes(long);
  const encoding = Buffer.from('UTF-8');
  info(20, 1, encoding.length).bytes(encoding);
  out.i32(999).i32(0);

  // Data, uncompressed: doubles, and strings space-padded to their segments.
  for (const row of table.rows) {
    row.forEach((cell, i) => {
      const width = widths[i]!;
      if (width) return void out.fixed(String(cell ?? ''), segments(width) * 8, 0x20);
      if (cell === DONT_KNOW_CELL) return void out.f64(SAV_DONT_KNOW);
      if (typeof cell === 'number' && table.variables[i]!.dontKnow && cell === SAV_DONT_KNOW) throw new Error(`${table.variables[i]!.name}: a real value equals the don't-know code`);
      out.f64(typeof cell === 'number' && Number.isFinite(cell) ? cell : SYSMIS);
    });
  }
  return out.buffer();
}
