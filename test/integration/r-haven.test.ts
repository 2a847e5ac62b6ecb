import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { codebook } from '../../server/publication/codebook.js';
import { loadCatalog } from '../../server/questionnaires/index.js';
import { DONT_KNOW_CELL, labelledMicrodata, type LabelledTable } from '../../server/reports/formats/labelled.js';
import { writeDta } from '../../server/reports/formats/dta.js';
import { SAV_DONT_KNOW, writeSav } from '../../server/reports/formats/sav.js';
import { neymanMicrodata } from '../support/banded.js';
import { rDirectory, rscript } from '../support/r.js';

/**
 * The SPSS and Stata microdata read back by R's haven (Debian r-cran-haven, the ReadStat library SPSS and
 * Stata users' tools share): every value of every column, "don't know" as SPSS's declared missing −9 and
 * Stata's `.a`, variable and value labels with their Vietnamese text intact.
 */
const catalog = loadCatalog();
const microdata = neymanMicrodata(catalog, 20261202, 30);
const book = codebook(microdata, catalog.methodology, catalog.questionnaires);
const dir = rDirectory();

interface Read {
  labels: Map<string, { label: string; values: Set<string> }>;
  columns: Map<string, string[]>;
}

/** What haven reads from a file: each variable's label and value labels, and each column's cells as text. */
function readWithHaven(kind: 'sav' | 'dta', file: string): Read {
  const reader = kind === 'sav' ? `read_sav("${file}", user_na = TRUE)` : `read_dta("${file}")`;
  const out = rscript(dir, `library(haven)
x <- ${reader}
for (n in names(x)) {
  v <- x[[n]]
  lab <- attr(v, "label"); if (is.null(lab)) lab <- ""
  labs <- attr(v, "labels")
  codes <- if (is.null(labs)) "" else paste0(ifelse(is_tagged_na(labs, "a"), "DK", sprintf("%.15g", unclass(labs))), "=", names(labs), collapse = "|")
  if (is.character(v)) cells <- v else {
    raw <- as.numeric(unclass(v))
    dk <- if (${kind === 'sav' ? 'TRUE' : 'FALSE'}) !is.na(raw) & raw %in% attr(v, "na_values") else is_tagged_na(v, "a")
    cells <- ifelse(dk, "DK", ifelse(is.na(raw), "", sprintf("%.17g", raw)))
  }
  cat("VAR", n, lab, codes, paste(cells, collapse = "\\x1f"), sep = "\\t"); cat("\\n")
}`);
  const read: Read = { labels: new Map(), columns: new Map() };
  for (const line of out.split('\n').filter((l) => l.startsWith('VAR\t'))) {
    const [, name, label, codes, cells] = line.split('\t');
    read.labels.set(name!, { label: label!, values: new Set(codes ? codes.split('|') : []) });
    read.columns.set(name!, cells!.split('\x1f'));
  }
  return read;
}

const expectedCell = (cell: LabelledTable['rows'][number][number]) => (cell === DONT_KNOW_CELL ? 'DK' : cell === null ? '' : cell);

function expectSameTable(table: LabelledTable, read: Read, dontKnowCode: string) {
  expect([...read.columns.keys()]).toEqual(table.variables.map((v) => v.name));
  table.variables.forEach((v, i) => {
    const cells = read.columns.get(v.name)!;
    expect(cells).toHaveLength(table.rows.length);
    table.rows.forEach((row, r) => {
      const want = expectedCell(row[i]!);
      if (typeof want === 'number') expect(Number(cells[r])).toBeCloseTo(want, 12);
      else expect(cells[r]).toBe(want);
    });
    const { label, values } = read.labels.get(v.name)!;
    expect(label.length).toBeGreaterThan(0);
    expect(v.label.startsWith(label)).toBe(true); // whole, or cut where the format's limit falls
    const want = [...(v.valueLabels ?? []).map((l) => `${l.value}=${l.label}`), ...(v.dontKnow ? [`${dontKnowCode}=${v.dontKnow}`] : [])];
    expect(values).toEqual(new Set(want));
  });
}

const table = labelledMicrodata(microdata, book, catalog.methodology, 'vi');
const dontKnowAnswers = table.rows.flat().filter((c) => c === DONT_KNOW_CELL).length;

test('the labelled table: coded answers are numbers with value labels, “don’t know” kept apart from no answer', () => {
  expect(table.rows).toHaveLength(microdata.responses.length);
  expect(dontKnowAnswers).toBeGreaterThan(50);
  const a1 = table.variables.find((v) => v.name === 'A1')!;
  expect(a1).toMatchObject({ kind: 'numeric', measure: 'ordinal', dontKnow: 'Không biết / Không áp dụng' });
  expect(a1.valueLabels).toContainEqual({ value: 1, label: 'Rất không đồng ý' });
  expect(table.variables.find((v) => v.name === 'unit')).toMatchObject({ kind: 'string' });
});

test('indicators are labelled as indicators, not as their questions; a multiple-choice question is one 0/1 variable per option', () => {
  const questions = new Map(book.variables.filter((v) => v.role === 'answer').map((v) => [v.name, v]));
  for (const v of book.variables.filter((x) => x.role === 'indicator')) {
    expect(v.label.vi).toMatch(new RegExp(`^Chỉ tiêu ${v.indicator!.replace(/[.]/g, '\\.')}: `));
    expect(v.label.vi).not.toBe(questions.get(v.question!)?.label.vi);
  }
  const multiple = book.variables.filter((v) => v.questionType === 'multiple');
  expect(multiple.length).toBeGreaterThan(0);
  for (const q of multiple) {
    expect(table.variables.some((v) => v.name === q.name)).toBe(false);
    const options = Object.keys(q.valueLabels!);
    const columns = options.map((code) => table.variables.findIndex((v) => v.name === `${q.name}_${code}`));
    expect(columns.every((i) => i >= 0)).toBe(true);
    expect(table.variables[columns[0]!]).toMatchObject({ kind: 'numeric', valueLabels: [{ value: 0, label: 'Không chọn' }, { value: 1, label: 'Có chọn' }] });
    // Each row's 0/1 cells spell the codes the CSV holds as "1;3".
    const answers = microdata.responses.map((r) => r.answers[q.name]);
    table.rows.forEach((row, r) => {
      const given = answers[r];
      if (!Array.isArray(given)) return;
      expect(options.filter((_, k) => row[columns[k]!] === 1)).toEqual(options.filter((o) => given.map(String).includes(o)));
    });
  }
});

test('SPSS .sav read by R haven: every value, “don’t know” as the declared missing −9, Vietnamese labels intact', () => {
  const file = path.join(dir, 'microdata.sav');
  writeFileSync(file, writeSav(table, new Date('2026-12-01T08:00:00Z')));
  const read = readWithHaven('sav', file);
  expectSameTable(table, read, String(SAV_DONT_KNOW));
  expect(read.labels.get('weight')!.label).toBe('Trọng số thiết kế N_h / n_h');
  expect(read.columns.get('A1')!.filter((c) => c === 'DK').length).toBeGreaterThan(0);
});

test('Stata .dta (format 118) read by R haven: every value, “don’t know” as .a, Vietnamese labels intact', () => {
  const file = path.join(dir, 'microdata.dta');
  writeFileSync(file, writeDta(table, new Date('2026-12-01T08:00:00Z')));
  const read = readWithHaven('dta', file);
  expectSameTable(table, read, 'DK');
  expect(read.labels.get('weight')!.label).toBe('Trọng số thiết kế N_h / n_h');
});

test('English labels for English readers', () => {
  const english = labelledMicrodata(microdata, book, catalog.methodology, 'en');
  const file = path.join(dir, 'microdata-en.dta');
  writeFileSync(file, writeDta(english));
  const read = readWithHaven('dta', file);
  expect(read.labels.get('weight')!.label).toBe('Design weight N_h / n_h');
  expect(read.labels.get('A1')!.values).toContain('1=Strongly disagree');
});
