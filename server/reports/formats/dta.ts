import { ByteWriter, utf8Within } from './binary.js';
import { DONT_KNOW_CELL, type LabelledTable } from './labelled.js';

/**
 * A Stata dataset (.dta format 118, Stata 14 and later: UTF-8 text), written from Stata's description of the
 * format: variable labels, a value-label set per labelled variable, "don't know" as the extended missing
 * value `.a` with its label. Numbers are doubles; strings are str1…str2045.
 */
const MISSING = 0x7fe0000000000000n; // `.`
const MISSING_A = 0x7fe0010000000000n; // `.a`
/** How a value label for `.a` is stored (the long-integer code of .a). */
const LABEL_A = 2147483622;
const DOUBLE = 65526;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Stata keeps labels to 80 characters (UTF-8, so up to 320 bytes and a NUL). */
const stataLabel = (text: string) => [...text].slice(0, 80).join('');

function bits(value: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(value);
  return b;
}

export function writeDta(table: LabelledTable, created = new Date()): Buffer {
  const { variables, rows } = table;
  const widths = variables.map((v, i) =>
    v.kind === 'string' ? Math.max(1, ...rows.map((row) => Buffer.byteLength(String(row[i] ?? ''), 'utf8'))) : 0,
  );
  if (widths.some((w) => w > 2045)) throw new Error('a string column is longer than 2045 bytes');
  for (const v of variables) if (!/^[A-Za-z_][A-Za-z0-9_]{0,31}$/.test(v.name)) throw new Error(`${v.name} is not a Stata variable name`);
  const labelled = variables.map((v) => v.kind === 'numeric' && (v.valueLabels?.length || v.dontKnow));

  const out = new ByteWriter();
  const map: number[] = [];
  const tag = (name: string) => out.ascii(`<${name}>`);
  const open = (name: string) => (map.push(out.length), tag(name));
  const close = (name: string) => out.ascii(`</${name}>`);

  open('stata_dta');
  tag('header');
  tag('release').ascii('118');
  close('release');
  tag('byteorder').ascii('LSF');
  close('byteorder');
  tag('K').u16(variables.length);
  close('K');
  tag('N').u64(rows.length);
  close('N');
  const label = utf8Within(stataLabel(table.label), 320);
  tag('label').u16(label.length).bytes(label);
  close('label');
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = `${two(created.getUTCDate())} ${MONTHS[created.getUTCMonth()]} ${created.getUTCFullYear()} ${two(created.getUTCHours())}:${two(created.getUTCMinutes())}`;
  tag('timestamp').u8(stamp.length).ascii(stamp);
  close('timestamp');
  close('header');

  // The map holds the offsets of the sections; written once they are known.
  const mapAt = out.length;
  open('map');
  for (let i = 0; i < 14; i++) out.u64(0);
  close('map');

  open('variable_types');
  widths.forEach((w) => out.u16(w || DOUBLE));
  close('variable_types');
  open('varnames');
  for (const v of variables) out.fixed(v.name, 129);
  close('varnames');
  open('sortlist');
  for (let i = 0; i <= variables.length; i++) out.u16(0);
  close('sortlist');
  open('formats');
  variables.forEach((v, i) => out.fixed(widths[i] ? `%-${Math.min(widths[i]!, 40)}s` : v.measure === 'scale' ? '%12.0g' : '%8.0g', 57));
  close('formats');
  open('value_label_names');
  variables.forEach((v, i) => out.fixed(labelled[i] ? v.name : '', 129));
  close('value_label_names');
  open('variable_labels');
  for (const v of variables) out.fixed(stataLabel(v.label), 321);
  close('variable_labels');
  open('characteristics');
  close('characteristics');

  open('data');
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (widths[i]) return void out.fixed(String(cell ?? ''), widths[i]!);
      if (cell === DONT_KNOW_CELL) return void out.bytes(bits(MISSING_A));
      if (typeof cell === 'number' && Number.isFinite(cell)) return void out.f64(cell);
      out.bytes(bits(MISSING));
    });
  }
  close('data');
  open('strls');
  close('strls');

  open('value_labels');
  variables.forEach((v, i) => {
    if (!labelled[i]) return;
    const entries = [...(v.valueLabels ?? []).map((l) => ({ value: l.value, text: l.label })), ...(v.dontKnow ? [{ value: LABEL_A, text: v.dontKnow }] : [])];
    const texts = entries.map((e) => Buffer.concat([utf8Within(e.text, 32000), Buffer.from([0])]));
    const table = new ByteWriter().i32(entries.length).i32(texts.reduce((n, t) => n + t.length, 0));
    let offset = 0;
    for (const t of texts) (table.i32(offset), (offset += t.length));
    for (const e of entries) table.i32(e.value);
    for (const t of texts) table.bytes(t);
    tag('lbl').i32(table.length).fixed(v.name, 129).fixed('', 3).bytes(table.buffer());
    close('lbl');
  });
  close('value_labels');
  map.push(out.length);
  close('stata_dta');
  map.push(out.length);

  const file = out.buffer();
  map.forEach((offset, i) => file.writeBigUInt64LE(BigInt(offset), mapAt + '<map>'.length + 8 * i));
  return file;
}
