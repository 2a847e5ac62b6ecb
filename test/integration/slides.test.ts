import { mkdirSync, writeFileSync } from 'node:fs';
import JSZip from 'jszip';
import { fromRoot } from '../../server/paths.js';
import { shippedCatalog } from '../../server/questionnaires/index.js';
import { overview } from '../../server/reports/model.js';
import { UNITS_PER_SLIDE } from '../../server/reports/slides.js';
import { Browser, startTestApp, TEST_PASSPHRASE, TEST_PASSWORD, type TestApp } from '../support/app.js';
import { answeredAndScored } from '../support/fieldwork.js';

/**
 * The conference's slides (issue 23): a published campaign's deck opens as a PowerPoint package with a title
 * slide and, per block, its ranking — a bar chart of DDCI with the data table beside it — in rank order, each
 * unit's name and published score on its slide, a long block continued over several slides.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 60_000);
afterAll(() => t.close());

const asBuffer = (res: import('superagent').Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};
const slideText = (xml: string) => [...xml.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => m[1]!);

test('each block’s ranking on 16:9 slides: chart values and table rows are the published figures, in rank order', async () => {
  const units = { SXD: 'provincial', STC: 'provincial', SCT: 'provincial', HCL: 'commune', HBS: 'commune' };
  const { results, fw } = await answeredAndScored(t, 'Trình Chiếu', '2026.3', units);
  const chair = new Browser(t.app);
  await chair.login(fw.members[0]!.username, TEST_PASSWORD);
  expect((await chair.post(`/campaigns/${fw.campaignId}/publish`, { passphrase: TEST_PASSPHRASE, confirm: 'yes' })).status).toBe(303);

  const anyone = new Browser(t.app);
  const res = await anyone.agent.get(`/campaigns/${fw.campaignId}/slides.pptx`).buffer(true).parse(asBuffer);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.presentationml.presentation');
  // Kept for a look (test-artifacts/slides/).
  mkdirSync(fromRoot('test-artifacts', 'slides'), { recursive: true });
  writeFileSync(fromRoot('test-artifacts', 'slides', 'ddci.pptx'), res.body as Buffer);
  const zip = await JSZip.loadAsync(res.body as Buffer);
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
  expect(UNITS_PER_SLIDE).toBeGreaterThan(5);
}, 180_000);
