import { csvCell, csvFile } from '../../server/csv.js';

test('cells a spreadsheet would run as a formula are neutralised; plain numbers stay numbers', () => {
  for (const hostile of ['=SUM(A1:A9)', '+cmd|/C calc!A0', '-2+3+cmd|/C calc!A0', '@SUM(1)', '\t=1', '\r=1']) expect(csvCell(hostile).replace(/^"/, '')).toMatch(/^'/);
  expect(csvCell('-5')).toBe('-5');
  expect(csvCell('+84912345678')).toBe('+84912345678');
  expect(csvCell(-1.5)).toBe('-1.5');
  expect(csvCell('Công ty "A", Lạng Sơn')).toBe('"Công ty ""A"", Lạng Sơn"');
  expect(csvFile([['a', null], [1, '=x']])).toBe("\uFEFFa,\r\n1,'=x\r\n");
});
