import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFrameFile } from '../../server/sampling/frame-reader.js';

/** The CSV reader (server/sampling/frame-reader.ts): the line numbers the import's errors name. */
const dir = mkdtempSync(path.join(tmpdir(), 'ddci-frame-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(text: string) {
  const file = path.join(dir, 'frame.csv');
  writeFileSync(file, text);
  let bytes = 0;
  const rows: [number, string][] = [];
  for await (const { row, cells } of readFrameFile(file, 'csv', (n) => (bytes += n))) rows.push([row, cells[0]!]);
  return { rows, bytes };
}

test('each record carries the line it ends on, past a byte-order mark, blank lines and a quoted cell that spans lines', async () => {
  const text = '\ufefftax_code,name\n0100000001,"A"\n\n0100000002,"B\nsecond line"\n0100000003,C\n\n\n0100000004,D';
  const { rows, bytes } = await read(text);
  expect(rows).toEqual([
    [1, 'tax_code'],
    [2, '0100000001'],
    [5, '0100000002'],
    [6, '0100000003'],
    [9, '0100000004'],
  ]);
  expect(bytes).toBe(Buffer.byteLength(text));
});

test('Windows line ends count the same', async () => {
  const { rows } = await read('tax_code,name\r\n0100000001,A\r\n\r\n0100000002,B\r\n');
  expect(rows).toEqual([
    [1, 'tax_code'],
    [2, '0100000001'],
    [4, '0100000002'],
  ]);
});
