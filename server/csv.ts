/**
 * CSV cells for files people open in a spreadsheet: quoted when needed, and text that a spreadsheet would
 * run as a formula (=, +, −, @, tab, CR first) prefixed with ' — numbers stay numbers. Pure.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  // A signed plain number ("-5", "+84912345678") stays as it is; anything else starting so is neutralised.
  const safe = /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A whole file: UTF-8 with a byte-order mark (so Excel reads Vietnamese right) and CRLF line ends. */
export function csvFile(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return '\uFEFF' + rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
