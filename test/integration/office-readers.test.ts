import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { fromRoot } from '../../server/paths.js';
import { shippedCatalog } from '../../server/questionnaires/index.js';
import { overview } from '../../server/reports/model.js';
import { UNITS_PER_SLIDE } from '../../server/reports/slides.js';
import { asBuffer, Browser, startTestApp, TEST_PASSPHRASE, TEST_PASSWORD, type TestApp } from '../support/app.js';
import { answeredAndScored } from '../support/fieldwork.js';

/**
 * The published files in the programs officials and analysts open them with (issue 23): the conference's
 * slides as a PowerPoint package — a title slide and, per block, a DDCI bar chart beside its data table in
 * rank order — which LibreOffice Impress opens and prints; the CSV tables read by LibreOffice Calc in a
 * Vietnamese locale (and the standard file in an English one) with every figure a number; the SPSS file read
 * by GNU PSPP with indicators labelled as indicators and each option of a multiple-choice question its own
 * variable. LibreOffice and PSPP are Debian's (scripts/provision-test-tools.sh); what they read cannot depend
 * on the database, so the server run leaves this file out.
 */
const artifacts = fromRoot('test-artifacts', 'office');
let t: TestApp;
let campaignId: string;
let results: Awaited<ReturnType<typeof answeredAndScored>>['results'];
beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  t = await startTestApp();
  const units = { SXD: 'provincial', STC: 'provincial', SCT: 'provincial', HCL: 'commune', HBS: 'commune' };
  const scored = await answeredAndScored(t, 'Trình Chiếu', '2026.3', units);
  ({ results } = scored);
  campaignId = scored.fw.campaignId;
  const chair = new Browser(t.app);
  await chair.login(scored.fw.members[0]!.username, TEST_PASSWORD);
  expect((await chair.post(`/campaigns/${campaignId}/publish`, { passphrase: TEST_PASSPHRASE, confirm: 'yes' })).status).toBe(303);
}, 180_000);
afterAll(() => t.close());

/** A published file, as bytes, kept in test-artifacts/office/. */
async function download(name: string): Promise<string> {
  const res = await new Browser(t.app).agent.get(`/campaigns/${campaignId}/${name}`).buffer(true).parse(asBuffer);
  expect({ name, status: res.status }).toEqual({ name, status: 200 });
  const file = path.join(artifacts, name);
  writeFileSync(file, res.body as Buffer);
  return file;
}

/** LibreOffice headless: `file` converted to `to` (a filter name) under the given import filter, into the artifacts. */
function soffice(file: string, to: string, infilter?: string): string {
  execFileSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=file://${path.join(artifacts, 'profile')}`, ...(infilter ? [`--infilter=${infilter}`] : []), '--convert-to', to, '--outdir', path.join(artifacts, 'out'), file], { stdio: 'pipe', timeout: 120_000 });
  return path.join(artifacts, 'out', `${path.basename(file, path.extname(file))}.${to.split(':')[0]}`);
}

const slideText = (xml: string) => [...xml.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => m[1]!);

test('each block’s ranking on 16:9 slides: chart values and table rows are the published figures, in rank order; LibreOffice Impress prints the deck', async () => {
  const type = (await new Browser(t.app).agent.head(`/campaigns/${campaignId}/slides.pptx`)).headers['content-type'];
  expect(type).toBe('application/vnd.openxmlformats-officedocument.presentationml.presentation');
  const deck = await download('slides.pptx');
  const zip = await JSZip.loadAsync(readFileSync(deck));
  const slides = Object.keys(zip.files).filter((f) => /^ppt\/slides\/slide\d+\.xml$/.test(f)).sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]));
  const presentation = await zip.file('ppt/presentation.xml')!.async('string');
  expect(presentation).toMatch(/<p:sldSz cx="9144000" cy="5143500"/); // 16:9

  const methodology = shippedCatalog().methodologies.get('2026.3')!;
  const blocks = overview(results, methodology, 'vi');
  expect(slides).toHaveLength(1 + blocks.length);
  const cover = slideText(await zip.file(slides[0]!)!.async('string')).join(' ');
  expect(cover).toContain('ỦY BAN NHÂN DÂN TỈNH TRÌNH CHIẾU');
  expect(cover).toContain('năm 2026');
  for (const [i, block] of blocks.entries()) {
    const text = slideText(await zip.file(slides[i + 1]!)!.async('string'));
    expect(text[0]).toBe(`${block.name}: xếp hạng DDCI 2026`);
    const ranked = block.lines.filter((l) => l.rank !== null);
    // The table: rank, name and published score of each ranked unit, in rank order.
    const rows = ranked.map((l) => [String(l.rank), l.name, l.compositeText]);
    for (const row of rows) expect(text.join('|')).toContain(row.join('|'));
    expect(rows.map((r) => text.indexOf(r[1]!))).toEqual([...rows.map((r) => text.indexOf(r[1]!))].sort((a, b) => a - b));
    // The chart: the same scores, best at the top (a bar chart's first category is drawn at the bottom).
    const rels = await zip.file(slides[i + 1]!.replace('slides/', 'slides/_rels/') + '.rels')!.async('string');
    const chartFile = /Target="\/(ppt\/charts\/chart\d+\.xml)"/.exec(rels)![1]!;
    const chart = await zip.file(chartFile)!.async('string');
    const values = [...chart.slice(chart.indexOf('<c:val>')).matchAll(/<c:v>([^<]+)<\/c:v>/g)].map((m) => Number(m[1]));
    expect(values).toEqual(ranked.map((l) => Math.round(l.composite! * 100) / 100).reverse());
  }
  // Impress opens the deck and prints one page per slide, each block's title and its leader on its page.
  const pdf = soffice(deck, 'pdf');
  expect(Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1])).toBe(1 + blocks.length);
  for (const [i, block] of blocks.entries()) {
    const page = execFileSync('pdftotext', ['-f', String(i + 2), '-l', String(i + 2), pdf, '-'], { encoding: 'utf8' });
    expect(page).toContain(`${block.name}: xếp hạng DDCI 2026`);
    expect(page).toContain(block.lines.find((l) => l.rank === 1)!.name);
  }
  execFileSync('pdftoppm', ['-r', '60', '-png', pdf, path.join(artifacts, 'slide')]);
  expect(UNITS_PER_SLIDE).toBeGreaterThan(5);
}, 180_000);

/** The cells of a converted workbook's first sheet, by header. */
async function sheetColumns(file: string): Promise<Map<string, unknown[]>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const sheet = book.worksheets[0]!;
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const columns = new Map<string, unknown[]>(header.map((h) => [h, []]));
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    header.forEach((h, k) => columns.get(h)!.push(row.getCell(k + 1).value));
  });
  return columns;
}

test('LibreOffice Calc reads the Vietnamese CSV (“;” and “,”) in a Vietnamese locale, and the standard one in an English locale: every score a number', async () => {
  const published = new Map(results.result.units.filter((u) => u.rank !== null).map((u) => [u.unit, Math.round(u.composite! * 100) / 100]));
  // Filter options: separator, quote, UTF-8 (76), from line 1, no column formats, then the locale (1066 Vietnamese, 1033 English).
  for (const [name, options] of [['rankings-vi.csv', '59,34,76,1,,1066'], ['rankings.csv', '44,34,76,1,,1033']] as const) {
    const columns = await sheetColumns(soffice(await download(name), 'xlsx', `CSV:${options}`));
    const units = columns.get('unit')!;
    const ddci = columns.get('ddci')!;
    const read = new Map(units.map((u, i): [string, unknown] => [String(u), ddci[i]]).filter(([u]) => published.has(u)));
    expect({ name, read: Object.fromEntries(read) }).toEqual({ name, read: Object.fromEntries(published) });
    for (const column of ['ddci_ci_low', 'ddci_ci_high', 'rank']) expect(columns.get(column)!.filter((v) => v !== null).every((v) => typeof v === 'number')).toBe(true);
  }
}, 180_000);

test('GNU PSPP reads the .sav: indicator labels are not their questions’, each option of a multiple-choice question is its own labelled 0/1 variable', async () => {
  const sav = await download('microdata.sav');
  const syntax = path.join(artifacts, 'read.sps');
  const dictionary = path.join(artifacts, 'pspp-dictionary.csv');
  writeFileSync(syntax, `GET FILE='${sav}'.\nDISPLAY DICTIONARY.\n`);
  execFileSync('pspp', ['-o', dictionary, syntax], { stdio: 'pipe' });
  // PSPP's CSV output: a "Variables" table (name, position, label, …), then "Value Labels" (a variable's label, then value, label rows).
  const rows = parse(readFileSync(dictionary, 'utf8'), { relax_column_count: true, skip_empty_lines: true }) as string[][];
  const valueTable = rows.findIndex((r) => r[0] === 'Table: Value Labels');
  const labelOf = new Map(rows.slice(2, valueTable).map((r) => [r[0]!, r[2]!]));
  const valueLabels = new Map<string, string[]>();
  let current = '';
  for (const [variable, value, label] of rows.slice(valueTable + 2)) {
    if (variable) current = variable;
    valueLabels.set(current, [...(valueLabels.get(current) ?? []), `${value}=${label}`]);
  }
  const book = (await new Browser(t.app).agent.get(`/campaigns/${campaignId}/codebook.json`)).body as { variables: { name: string; role: string; question?: string; questionType?: string; valueLabels?: Record<string, unknown> }[] };
  const indicators = book.variables.filter((v) => v.role === 'indicator');
  expect(indicators.length).toBeGreaterThan(5);
  for (const v of indicators) {
    expect({ name: v.name, label: labelOf.get(v.name) }).toEqual({ name: v.name, label: expect.stringMatching(/^Chỉ tiêu I-/) });
    expect(labelOf.get(v.name)).not.toBe(labelOf.get(v.question!));
  }
  const multiple = book.variables.filter((v) => v.questionType === 'multiple');
  expect(multiple.length).toBeGreaterThan(0);
  for (const q of multiple) {
    expect(labelOf.has(q.name)).toBe(false); // no one string variable holding "1;3"
    for (const code of Object.keys(q.valueLabels!)) {
      const option = `${q.name}_${code}`;
      expect({ option, values: valueLabels.get(labelOf.get(option) ?? '?') }).toEqual({ option, values: ['0=Không chọn', '1=Có chọn'] });
    }
  }
}, 120_000);
