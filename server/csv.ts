/**
 * CSV cells for files people open in a spreadsheet: quoted when needed, and text that a spreadsheet would
 * run as a formula (=, +, −, @, tab, CR first) prefixed with ' — numbers stay numbers. Pure.
 */
export function csvCell(value: string | number | null | undefined, decimal: '.' | ',' = '.'): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? (decimal === ',' ? String(value).replace('.', ',') : String(value)) : '';
  // A signed plain number ("-5", "+84912345678") stays as it is; anything else starting so is neutralised.
  const safe = /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * A whole file: UTF-8 with a byte-order mark (so Excel reads Vietnamese right) and CRLF line ends. `vi`: the
 * dialect a spreadsheet set to Vietnamese reads numbers from — “;” between cells, “,” before decimals.
 */
export function csvFile(rows: readonly (readonly (string | number | null | undefined)[])[], dialect: 'standard' | 'vi' = 'standard'): string {
  const [separator, decimal] = dialect === 'vi' ? ([';', ','] as const) : ([',', '.'] as const);
  return '\uFEFF' + rows.map((row) => row.map((cell) => csvCell(cell, decimal)).join(separator)).join('\r\n') + '\r\n';
}
