import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { fromRoot } from '../../server/paths.js';
import { onServer } from '../support/database.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { transition } from '../../server/workflow/index.js';
import { runCli } from '../../server/cli/index.js';
import { auditLog, publications } from '../../server/db/schema.js';
import { verifyPublication } from '../../server/publication/index.js';
import { outlinePages } from '../support/pdf.js';
import { blockQuestionnaire, questionsOf, shippedCatalog } from '../../server/questionnaires/index.js';
import { asBuffer, Browser, loggedIn, startTestApp, TEST_PASSPHRASE, TEST_PASSWORD, type TestApp } from '../support/app.js';
import { campaignInFieldwork, type FieldworkCampaign } from '../support/fieldwork.js';
import ExcelJS from 'exceljs';
import type { Response } from 'superagent';
import { formatInterval, formatNumber, formatPercent } from '../../server/i18n/format.js';
import type { ResultsDocument } from '../../server/publication/results.js';
import type { Microdata } from '../../server/scoring/index.js';
import { everyPage, untilSettled } from '../support/pages.js';
import { answerUnit, startSurvey } from '../support/survey.js';

let t: TestApp;
let fw: FieldworkCampaign;
const UNITS = ['SXD', 'STC', 'SCT', 'HCL', 'HLB'];
const FEW = 'SCT'; // answered by fewer businesses than the minimum: flagged, not ranked

async function member(index: number) {
  const browser = new Browser(t.app);
  const login = await browser.login(fw.members[index]!.username, TEST_PASSWORD);
  if (login.status !== 303) throw new Error('member login');
  return browser;
}

beforeAll(async () => {
  t = await startTestApp();
  fw = await campaignInFieldwork(t.db, 'Lạng Sơn', UNITS, { perUnit: 14, design: { minPerUnit: 14, maxPerUnit: 14 } });
  const counts = new Map<string, number>();
  for (const invitation of fw.invitations) {
    const unit = invitation.units[0]!;
    const answered = counts.get(unit) ?? 0;
    if (answered >= (unit === FEW ? 5 : 12)) continue;
    counts.set(unit, answered + 1);
    const browser = new Browser(t.app);
    await startSurvey(browser, invitation.code);
    const { res } = await answerUnit(browser, unit);
    if (res.status !== 303) throw new Error(`answer: ${res.status}`);
  }
  const closed = await transition(t.db, fw.admin, fw.campaignId, 'closed', { mixKey: t.mixKey });
  if (!closed.ok) throw new Error('close');
}, 180_000);
afterAll(() => t.close());

test('close → bulletin → 2-of-3 approvals → unseal and score in the background → sealed results → the chair publishes, signed', async () => {
  const first = await member(1);
  const second = await member(2);
  const runForm = `action="/campaigns/${fw.campaignId}/unseal/run"`;
  const approveForm = `action="/campaigns/${fw.campaignId}/unseal"`;
  // Each member's home says the committee needs them, with the way there.
  const home = await first.get('/');
  expect(home.text).toContain(`<a href="/campaigns/${fw.campaignId}/unseal">DDCI Lạng Sơn 2026</a>: Hội đồng cần sự đồng ý mở niêm phong của bạn`);
  // No approval yet: the page says so, offers approving, and no run.
  const before = await first.get(`/campaigns/${fw.campaignId}/unseal`);
  expect(before.text).toContain('Đã đồng ý: 0 trên 2 thành viên cần thiết');
  expect(before.text).toContain('Chưa thành viên nào đồng ý.');
  expect(before.text).toContain(approveForm);
  expect(before.text).not.toContain(runForm);
  // One approval is not enough: the page names who approved and until when; the run is refused anyway.
  const approved = await first.post(`/campaigns/${fw.campaignId}/unseal`, { passphrase: TEST_PASSPHRASE });
  expect(approved.text).toContain('Đã đồng ý: 1 trên 2 thành viên cần thiết');
  expect(approved.text).toContain(`(${fw.members[1]!.username})</span> — <strong>bạn</strong>`);
  expect(approved.text).toMatch(/<td>\d\d\/\d\d\/\d{4} \d\d:\d\d<\/td>/); // when it lapses: 01/12/2026 14:35
  expect(approved.text).toContain('Gia hạn sự đồng ý của bạn');
  expect(approved.text).not.toContain(runForm);
  const early = await first.post(`/campaigns/${fw.campaignId}/unseal/run`);
  expect(early.status).toBe(303);
  expect((await t.db.select().from(auditLog).where(eq(auditLog.action, 'results.unsealing_started')))).toHaveLength(0);
  // At quorum: the run, and no more passphrase form.
  const quorum = await second.post(`/campaigns/${fw.campaignId}/unseal`, { passphrase: TEST_PASSPHRASE });
  expect(quorum.text).toContain('Đã đủ số thành viên đồng ý');
  expect(quorum.text).toContain(runForm);
  expect(quorum.text).not.toContain(approveForm + ' ');
  expect(quorum.text).not.toContain('name="passphrase"');
  expect((await second.post(`/campaigns/${fw.campaignId}/unseal/run`)).status).toBe(303);
  // Read as fast as it answers while the run goes: every page is the run's progress or its end — never the
  // approval form again without a refresh, as when the run's end fell between two reads of one page.
  let settled = false;
  let read = 0;
  const stray: string[] = [];
  const watching = (async () => {
    for (; !settled; read++) {
      const text = (await first.get(`/campaigns/${fw.campaignId}/unseal`)).text;
      if (!text.includes('http-equiv="refresh"') && !text.includes('Kết quả đã được tính và niêm phong cho Hội đồng.')) stray.push(`page ${read}`);
    }
  })();
  const page = await untilSettled(second, `/campaigns/${fw.campaignId}/unseal`).finally(() => (settled = true));
  await watching;
  expect(page.text).toContain('Kết quả đã được tính và niêm phong cho Hội đồng.');
  expect(stray).toEqual([]);

  // A member reads the sealed results with the passphrase; the reading is audited.
  const sealed = await second.post(`/campaigns/${fw.campaignId}/results/sealed`, { passphrase: TEST_PASSPHRASE });
  expect(sealed.status).toBe(200);
  expect(sealed.headers['cache-control']).toBe('no-store');
  const composites = [...sealed.text.matchAll(/<td class="num">(\d+,\d\d)<\/td>/g)].map((m) => m[1]!);
  expect(composites.length).toBeGreaterThanOrEqual(4);
  expect(sealed.text).toContain('dưới mức tối thiểu');
  expect(sealed.text).toContain('MẬT — CHƯA CÔNG BỐ');
  const viewed = await t.db.select().from(auditLog).where(eq(auditLog.action, 'results.viewed'));
  expect(viewed.map((v) => v.actor)).toEqual([fw.members[2]!.username]);

  // Before publication, no page for any role shows a score.
  const roles = await Promise.all((['admin', 'enumerator', 'observer', 'member'] as const).map(async (role) => (await loggedIn(t.app, t.db, role)).browser));
  for (const browser of [new Browser(t.app), ...roles, first]) {
    for (const { path: p, res } of await everyPage(browser, fw.campaignId)) {
      for (const composite of composites) expect({ path: p, leaked: res.text.includes(composite) }).toEqual({ path: p, leaked: false });
    }
  }
  expect((await new Browser(t.app).get(`/campaigns/${fw.campaignId}/results`)).status).toBe(404);
  for (const report of ['results/codebook', 'report', 'report.pdf', 'microdata.csv', 'microdata.xlsx', 'microdata.sav', 'microdata.dta', 'results.xlsx']) {
    expect({ report, status: (await new Browser(t.app).get(`/campaigns/${fw.campaignId}/${report}`)).status }).toEqual({ report, status: 404 });
  }

  // The chair publishes with the passphrase: the results become public with a signed record.
  const chair = await member(0);
  const unconfirmed = await chair.post(`/campaigns/${fw.campaignId}/publish`, { passphrase: TEST_PASSPHRASE });
  expect(unconfirmed.status).toBe(422);
  expect(unconfirmed.text).toContain('Hãy đánh dấu xác nhận trước khi công bố: việc công bố không thể hoàn tác.');
  const wrong = await chair.post(`/campaigns/${fw.campaignId}/publish`, { passphrase: 'not the passphrase at all', confirm: 'yes' });
  expect(wrong.status).toBe(401);
  const published = await chair.post(`/campaigns/${fw.campaignId}/publish`, { passphrase: TEST_PASSPHRASE, confirm: 'yes' });
  expect(published.status).toBe(303);
  const anyone = new Browser(t.app);
  const results = await anyone.get(`/campaigns/${fw.campaignId}/results`);
  expect(results.status).toBe(200);
  for (const composite of composites) expect(results.text).toContain(composite);

  // Anyone recomputes every published figure from the anonymised microdata.
  const dir = mkdtempSync(path.join(tmpdir(), 'ddci-published-'));
  const microdata = (await anyone.get(`/campaigns/${fw.campaignId}/microdata.json`)).text;
  const rows = (JSON.parse(microdata) as { responses: Record<string, unknown>[] }).responses;
  expect(rows.length).toBe(4 * 12); // the 5 answers of the unit under the minimum are withheld
  for (const row of rows) expect(Object.keys(row).sort()).toEqual(['answers', 'fpc', 'mode', 'questionnaire', 'stratum', 'unit', 'weight']); // no id, receipt or time
  writeFileSync(path.join(dir, 'microdata.json'), microdata);
  let err = '';
  const code = await runCli(['score', '--microdata', path.join(dir, 'microdata.json'), '--json', path.join(dir, 'scored.json')], { env: {}, out: () => undefined, err: (s) => (err += s) });
  expect(err).toBe('');
  expect(code).toBe(0);
  const resultsFile = await anyone.get(`/campaigns/${fw.campaignId}/results.json`);
  const publishedResults = JSON.parse(resultsFile.text) as { result: unknown };
  expect(JSON.parse(readFileSync(path.join(dir, 'scored.json'), 'utf8'))).toEqual(publishedResults.result);
  // Announcement day: a published file never changes, so it is cacheable, and a reader who has it gets a 304.
  expect(resultsFile.headers['cache-control']).toBe('public, max-age=300');
  expect(resultsFile.headers.etag).toMatch(/^"[\w-]{27}-gzip"$/);
  const again = await anyone.agent.get(`/campaigns/${fw.campaignId}/results.json`).set('If-None-Match', resultsFile.headers.etag!);
  expect(again.status).toBe(304);
  // The overview is rendered once for anonymous readers: the same bytes for each (it holds no form, so no CSRF
  // token), compressed as the reader accepts, revalidated by its ETag.
  const [readerA, readerB] = [new Browser(t.app), new Browser(t.app)];
  const pages = [];
  for (const reader of [readerA, readerB]) {
    const page = await reader.get(`/campaigns/${fw.campaignId}/results`);
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/csrf-token|name="_csrf"/);
    // Its chart data, embedded through the one escaping helper, parses whole from its script element.
    expect(JSON.parse(/<script type="application\/json" id="report-charts">([\s\S]*?)<\/script>/.exec(page.text)![1]!)).toEqual(expect.any(Object));
    pages.push(page);
  }
  expect(pages[0]!.text).toBe(pages[1]!.text);
  const brotli = await readerA.agent.get(`/campaigns/${fw.campaignId}/results`).set('Accept-Encoding', 'br').buffer(true).parse(asBuffer);
  expect(brotli.headers['content-encoding']).toBe('br');
  expect(brotli.headers.vary).toMatch(/Accept-Encoding/);
  // (superagent decodes it: what was sent is its Content-Length)
  expect((brotli.body as Buffer).toString()).toBe(pages[0]!.text);
  expect(Number(brotli.headers['content-length'])).toBeLessThan(Buffer.byteLength(pages[0]!.text) / 4);
  const plain = await readerA.agent.get(`/campaigns/${fw.campaignId}/results`).set('Accept-Encoding', 'identity');
  expect({ encoding: plain.headers['content-encoding'], same: plain.text === pages[0]!.text }).toEqual({ encoding: undefined, same: true });
  const revalidated = await readerB.agent.get(`/campaigns/${fw.campaignId}/results`).set('If-None-Match', pages[0]!.headers.etag!);
  expect(revalidated.status).toBe(304);
  // It is served before the session and CSRF machinery: a new reader is given no cookie at all...
  const fresh = await new Browser(t.app).agent.get(`/campaigns/${fw.campaignId}/results`);
  expect({ status: fresh.status, cookies: fresh.headers['set-cookie'] }).toEqual({ status: 200, cookies: undefined });
  // ...while a signed-in member gets the page rendered for them, with their navigation and a form to log out.
  const asChair = await chair.get(`/campaigns/${fw.campaignId}/results`);
  expect(asChair.status).toBe(200);
  expect(asChair.text).toMatch(/name="_csrf" value="[\w-]{20,}"/);
  expect(asChair.text).not.toBe(pages[0]!.text);

  // The publication verifies; a changed figure does not.
  const verified = await verifyPublication(t.db, shippedCatalog(), fw.campaignId);
  expect(verified.lines.filter((l) => l.startsWith('✗'))).toEqual([]);
  expect(verified.ok).toBe(true);
  await t.db.execute(sql`update ${publications} set results = jsonb_set(results, '{responses}', '9999') where campaign_id = ${fw.campaignId}`);
  const tampered = await verifyPublication(t.db, shippedCatalog(), fw.campaignId);
  expect(tampered.ok).toBe(false);
  expect(tampered.lines.some((l) => l.startsWith('✗ results hash'))).toBe(true);
}, 180_000);

test('reports: the overview and every scorecard show the published figures, in each language’s number format; CSV and XLSX hold the same; the unit under the minimum shows no figure anywhere', async () => {
  const anyone = new Browser(t.app);
  const results = JSON.parse((await anyone.get(`/campaigns/${fw.campaignId}/results.json`)).text) as ResultsDocument;
  const methodology = shippedCatalog().methodologies.get(results.methodology)!;
  const vi = (x: number) => formatNumber(x, 2, 'vi');
  const overviewPage = (await anyone.get(`/campaigns/${fw.campaignId}/results`)).text;
  const english = (await new Browser(t.app).get(`/campaigns/${fw.campaignId}/results?lang=en`)).text;
  const few = results.result.units.find((u) => u.unit === FEW)!;
  for (const u of results.result.units.filter((x) => x.unit !== FEW)) {
    expect(overviewPage).toContain(`<td class="num">${vi(u.composite!)}</td>`);
    expect(english).toContain(`<td class="num">${formatNumber(u.composite!, 2, 'en')}</td>`);
    expect(overviewPage).toContain(formatInterval(u.compositeCi, 2, 'vi'));
    const card = await anyone.get(`/campaigns/${fw.campaignId}/results/units/${u.unit}`);
    expect(card.status).toBe(200);
    for (const p of u.pillars) expect(card.text).toContain(`<strong>${vi(p.score!)}</strong>`);
    for (const i of u.indicators) {
      const definition = methodology.indicators.find((d) => d.code === i.code)!;
      expect(card.text).toContain(definition.measure === 'share' ? formatPercent(i.value, 1, 'vi') : formatNumber(i.value, 1, 'vi'));
      if (i.score !== null) expect(card.text).toContain(`<td class="num" data-label="Điểm (1–10)">${vi(i.score)}</td>`);
    }
  }
  // The unit under the minimum: its page says why, and no view or export carries its figures.
  const fewCard = await anyone.get(`/campaigns/${fw.campaignId}/results/units/${FEW}`);
  expect(fewCard.text).toContain('Không công bố điểm của đơn vị này: chỉ có 5 phiếu, dưới mức tối thiểu 10');
  // results.json names it, with its reason and count, and holds no figure of it: none was computed.
  expect(few).toMatchObject({ flag: 'below-minimum', respondents: 5, composite: null, compositeCi: null, rank: null, rankRange: null, tier: null });
  for (const i of few.indicators) expect([i.value, i.se, i.ci, i.bootstrapSe, i.score, i.valid]).toEqual([null, null, null, null, null, 0]);
  for (const p of few.pillars) expect([p.score, p.ci]).toEqual([null, null]);
  expect(results.disclosure.withheld).toEqual([{ unit: FEW, respondents: 5 }]);
  const rankingsCsv = (await anyone.get(`/campaigns/${fw.campaignId}/rankings.csv`)).text;
  const indicatorsCsv = (await anyone.get(`/campaigns/${fw.campaignId}/indicators.csv`)).text;
  const fewRanking = rankingsCsv.split('\r\n').find((l) => l.split(',')[1] === FEW)!;
  expect(fewRanking).toContain('below-minimum');
  expect(fewRanking.split(',').filter((cell) => /^[0-9.]+$/.test(cell))).toEqual(['5']);
  const fewRows = indicatorsCsv.split('\r\n').filter((l) => l.split(',')[1] === FEW);
  expect(fewRows.length).toBeGreaterThan(10);
  for (const row of fewRows) expect(row.split(',').slice(4)).toEqual(['', '', '', '', '', '', '']);
  expect(rankingsCsv.startsWith('\uFEFF')).toBe(true);
  // Figures rounded as published; the Vietnamese dialect (“;”, “,”) read as a Vietnamese spreadsheet reads it gives the same numbers.
  const rankingsVi = (await anyone.get(`/campaigns/${fw.campaignId}/rankings-vi.csv`)).text;
  const indicatorsVi = (await anyone.get(`/campaigns/${fw.campaignId}/indicators-vi.csv`)).text;
  const table = (csv: string, separator: string) => csv.replace('\uFEFF', '').trim().split('\r\n').map((l) => l.split(separator));
  const viNumber = (cell: string) => (/^-?\d+(,\d+)?$/.test(cell) ? Number(cell.replace(',', '.')) : cell);
  const [header, ...rankingRows] = table(rankingsCsv, ',');
  const [headerVi, ...rankingRowsVi] = table(rankingsVi, ';');
  expect(headerVi).toEqual(header);
  for (const u of results.result.units.filter((x) => x.composite !== null)) {
    const row = rankingRows.find((r) => r[1] === u.unit)!;
    const rowVi = rankingRowsVi.find((r) => r[1] === u.unit)!;
    expect(Number(row[header!.indexOf('ddci')])).toBe(Math.round(u.composite! * 100) / 100);
    expect(viNumber(rowVi[header!.indexOf('ddci')]!)).toBe(Math.round(u.composite! * 100) / 100);
    expect(rowVi[header!.indexOf('ddci')]).toMatch(/^\d+(,\d{1,2})?$/); // a comma before decimals, none when the figure is whole
  }
  const [indicatorHeader, ...indicatorRowsVi] = table(indicatorsVi, ';');
  const someShare = indicatorRowsVi.find((r) => r[3] === 'share (0–1)' && r[4] !== '')!;
  const published = results.result.units.find((u) => u.unit === someShare[1])!.indicators.find((i) => i.code === someShare[2])!;
  expect(viNumber(someShare[indicatorHeader!.indexOf('value')]!)).toBe(Math.round(published.value! * 1e4) / 1e4);

  // The workbook read back: one sheet per block with the same composites.
  const xlsx = await anyone.agent.get(`/campaigns/${fw.campaignId}/results.xlsx`).buffer(true).parse(asBuffer);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(xlsx.body as unknown as Parameters<typeof book.xlsx.load>[0]);
  const blocks = [...new Set(results.result.units.map((u) => u.block))];
  expect(book.worksheets.map((w) => w.name)).toEqual([...methodology.blocks.map((b) => b.code).filter((c) => blocks.includes(c)), 'indicators', 'methodology']);
  for (const u of results.result.units) {
    const sheet = book.getWorksheet(u.block)!;
    const row = sheet.getRows(3, sheet.rowCount - 2)!.find((r) => r.getCell(2).value === u.unit)!;
    expect(row.getCell(6).value).toBe(u.unit === FEW ? null : u.composite);
    // The full value kept, shown to 2 decimals; the header stays in view.
    expect(row.getCell(6).numFmt).toBe('0.00');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
  }
  const indicatorSheet = book.getWorksheet('indicators')!;
  const shareRow = indicatorSheet.getRows(2, indicatorSheet.rowCount - 1)!.find((r) => r.getCell(4).value === 'share (0–1)' && typeof r.getCell(5).value === 'number')!;
  expect(shareRow.getCell(5).numFmt).toBe('0.0%');
});

test('reports: the methodology and response appendix, the full print report, and its PDF (one page or more per scorecard, Vietnamese text intact)', async () => {
  const anyone = new Browser(t.app);
  const results = JSON.parse((await anyone.get(`/campaigns/${fw.campaignId}/results.json`)).text) as ResultsDocument;
  const appendix = await anyone.get(`/campaigns/${fw.campaignId}/results/methodology`);
  expect(appendix.status).toBe(200);
  expect(appendix.text).toContain('Tính minh bạch và tiếp cận thông tin');
  expect(appendix.text).toContain('Khung mẫu, mẫu và số phiếu trả lời');
  // 12 answers in each of four units and 5 in the last: the blocks' answered totals add up to 53.
  const answered = [...appendix.text.matchAll(/<th>Tổng<\/th>(?:<td class="num">\d+<\/td>){3}<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
  expect(answered).toHaveLength(2);
  expect(answered.reduce((a, b) => a + b, 0)).toBe(53);
  // The administrator sets the report's official header; the report and its PDF carry it.
  const { browser: admin } = await loggedIn(t.app, t.db, 'admin');
  const TITLE = 'Báo cáo kết quả khảo sát DDCI tỉnh Lạng Sơn năm 2026';
  expect((await admin.post(`/campaigns/${fw.campaignId}/report-header`, { issuer: '', title: TITLE })).status).toBe(303);
  const report = await anyone.get(`/campaigns/${fw.campaignId}/report`);
  expect(report.status).toBe(200);
  expect(report.text).toContain(`<h1>${TITLE}</h1>`);
  for (const u of results.units) expect(report.text).toContain(`Phiếu điểm DDCI — ${u.nameVi}`);

  // The download button: Chromium prints the same report to A4 (ddci report --pdf does the same from the command line).
  const download = await anyone.agent.get(`/campaigns/${fw.campaignId}/report.pdf`).buffer(true).parse(asBuffer);
  expect(download.status).toBe(200);
  expect(download.headers['content-type']).toBe('application/pdf');
  // Kept in test-artifacts/ to be looked at.
  mkdirSync(fromRoot('test-artifacts', 'reports'), { recursive: true });
  const pdf = fromRoot('test-artifacts', 'reports', `report-${onServer ? 'postgres' : 'pglite'}.pdf`);
  writeFileSync(pdf, download.body as Buffer);
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
  expect(pages).toBeGreaterThanOrEqual(results.units.length + 1);
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  expect(text).toContain('ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN');
  expect(text.replace(/\s+/g, ' ')).toContain(TITLE);
  // Each block's chart is drawn into the PDF (a canvas prints as an image).
  const images = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' }).trim().split('\n').slice(2);
  expect(images.length).toBeGreaterThanOrEqual(new Set(results.units.map((u) => u.block)).size);
  for (const u of results.units) expect(text).toContain(`Phiếu điểm DDCI — ${u.nameVi}`);
  expect(text).toContain('Chỉ số thành phần');

  // Page 1 is the cover; the summary names each block's real leader; the outline (bookmarks) holds every
  // block and every unit, and the contents give each the page it is printed on.
  const page = (n: number) => execFileSync('pdftotext', ['-f', String(n), '-l', String(n), '-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(page(1)).toContain('ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN');
  expect(page(1)).toContain(TITLE);
  expect(page(1)).toContain('Chỉ số năng lực cạnh tranh cấp sở, ban, ngành và địa phương');
  expect(page(2)).toContain('Tóm tắt kết quả');
  const methodology = shippedCatalog().methodologies.get(results.methodology)!;
  for (const block of new Set(results.result.units.map((u) => u.block))) {
    const leader = results.result.units.find((u) => u.block === block && u.rank === 1)!;
    const name = results.units.find((u) => u.code === leader.unit)!.nameVi;
    const score = formatNumber(leader.composite, 2, 'vi');
    // A block with one ranked unit names it with its score; it leads no one and is not also "last".
    const ranked = results.result.units.filter((u) => u.block === block && u.rank !== null).length;
    expect(page(2)).toContain(ranked === 1 ? `Chỉ một đơn vị đủ số phiếu để được xếp hạng: ${name}, với ${score} điểm.` : `${name} dẫn đầu với ${score} điểm`);
    if (ranked === 1) expect(page(2)).not.toContain(`${name} đứng cuối`);
    expect(page(2)).toContain(methodology.blocks.find((b) => b.code === block)!.name.vi);
  }
  // One unit's profile as its own PDF: at most two A4 pages, every indicator named by its question's Vietnamese wording.
  const profile = await anyone.agent.get(`/campaigns/${fw.campaignId}/results/units/SXD/profile.pdf`).buffer(true).parse(asBuffer);
  expect(profile.status).toBe(200);
  const profileFile = fromRoot('test-artifacts', 'reports', `profile-SXD-${onServer ? 'postgres' : 'pglite'}.pdf`);
  writeFileSync(profileFile, profile.body as Buffer);
  expect(Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [profileFile], { encoding: 'utf8' }))![1])).toBeLessThanOrEqual(2);
  const profileText = execFileSync('pdftotext', ['-raw', profileFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(profileText).toContain('Phiếu điểm DDCI — Đơn vị SXD');
  const sxd = results.result.units.find((u) => u.unit === 'SXD')!;
  const form = blockQuestionnaire(shippedCatalog(), results.methodology, sxd.block);
  const wordingOf = new Map(questionsOf(form).map((q) => [q.code, q.text.vi]));
  for (const i of sxd.indicators) {
    const question = methodology.indicators.find((d) => d.code === i.code)!.question;
    expect({ indicator: i.code, named: profileText.includes(wordingOf.get(question)!.replace(/\s+/g, ' ')) }).toEqual({ indicator: i.code, named: true });
  }

  const outline = await outlinePages(download.body as Buffer);
  const contents = page(3);
  expect(contents).toContain('Mục lục');
  const headings = [...methodology.blocks.filter((b) => results.units.some((u) => u.block === b.code)).map((b) => b.name.vi), ...results.units.map((u) => `Phiếu điểm DDCI — ${u.nameVi}`)];
  for (const heading of headings) {
    const at = outline.get(heading.replace(/\s+/g, ''))!;
    expect({ heading, inOutline: at > 3 }).toEqual({ heading, inOutline: true });
    expect(page(at)).toContain(heading);
    expect(contents).toContain(`${heading} ${at}`);
  }
  // The method in one page, between the summary's pages and the first block's, with the campaign's own figures.
  const method = outline.get('Phươngpháp')!;
  const firstBlock = outline.get(headings[0]!.replace(/\s+/g, ''))!;
  expect({ method, firstBlock }).toEqual({ method: firstBlock - 1, firstBlock });
  const respondents = results.result.units.reduce((a, u) => a + u.respondents, 0);
  expect(page(method)).toContain(`${formatNumber(respondents, 0, 'vi')} doanh nghiệp đã trả lời`);
  // Every unit's profile in the report takes one or two pages: from its page to the next profile's, or the appendix's.
  const starts = [...results.units.map((u) => outline.get(`Phiếu điểm DDCI — ${u.nameVi}`.replace(/\s+/g, ''))!).sort((a, b) => a - b), outline.get('Phụlục:phươngphápvàtỷlệtrảlời')!];
  expect(starts.filter((at) => !Number.isInteger(at))).toEqual([]);
  const lengths = starts.slice(1).map((next, i) => next - starts[i]!);
  expect(lengths.filter((pages) => pages < 1 || pages > 2)).toEqual([]);
}, 120_000);

test('microdata for analysts: the codebook page, CSV, XLSX, SPSS and Stata files hold the same rows; the unit under the minimum is in none', async () => {
  const anyone = new Browser(t.app);
  const all = JSON.parse((await anyone.get(`/campaigns/${fw.campaignId}/microdata.json`)).text) as Microdata;
  // The unit under the minimum: named, with its count, and none of its answers (nor its strata) published.
  expect(all.units.map((u) => u.code)).toContain(FEW);
  expect(all.disclosure.withheld).toEqual([{ unit: FEW, respondents: 5 }]);
  expect([...all.responses, ...all.strata].some((r) => r.unit === FEW)).toBe(false);
  const analysable = all.responses.length;
  expect(analysable).toBe(48);
  const published = JSON.parse((await anyone.get(`/campaigns/${fw.campaignId}/codebook.json`)).text) as { disclosure: Microdata['disclosure']; rules: { en: string }[] };
  expect(published.disclosure.withheld).toEqual([{ unit: FEW, respondents: 5 }]);
  const page = await anyone.get(`/campaigns/${fw.campaignId}/results/codebook`);
  expect(page.status).toBe(200);
  expect(page.text).toContain('Trọng số thiết kế N_h / n_h');
  const shown = page.text.replace(/&#x3D;/g, '=').replace(/&quot;/g, '"').replace(/&lt;/g, '<');
  expect(shown).toContain('des <- svydesign(ids = ~1, strata = ~stratum_id, weights = ~weight, fpc = ~fpc, data = d)');
  expect(page.text).toContain(`${analysable} phiếu`);

  const csv = (await anyone.get(`/campaigns/${fw.campaignId}/microdata.csv`)).text.trim().split('\r\n');
  expect(csv).toHaveLength(analysable + 1);
  expect(csv.slice(1).some((line) => line.startsWith(`${FEW},`))).toBe(false);

  const xlsx = await anyone.agent.get(`/campaigns/${fw.campaignId}/microdata.xlsx`).buffer(true).parse(asBuffer);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(xlsx.body as unknown as Parameters<typeof book.xlsx.load>[0]);
  expect(book.worksheets.map((w) => w.name)).toEqual(['microdata', 'codebook', 'R']);
  const data = book.getWorksheet('microdata')!;
  expect(data.rowCount).toBe(analysable + 1);
  expect((data.getRow(1).values as unknown[]).slice(1).join(',')).toBe(csv[0]!.replace('\uFEFF', ''));
  const weights = (data.getColumn(4).values as unknown[]).slice(2).map(Number);
  const csvWeights = csv.slice(1).map((line) => Number(line.split(',')[3]));
  expect(weights).toEqual(csvWeights);

  const sav = await anyone.agent.get(`/campaigns/${fw.campaignId}/microdata.sav`).buffer(true).parse(asBuffer);
  const dta = await anyone.agent.get(`/campaigns/${fw.campaignId}/microdata.dta`).buffer(true).parse(asBuffer);
  expect((sav.body as Buffer).subarray(0, 4).toString()).toBe('$FL2');
  expect((sav.body as Buffer).readInt32LE(80)).toBe(analysable); // the header's case count
  expect((dta.body as Buffer).subarray(0, 64).toString('latin1')).toContain('<release>118</release>');
  for (const file of [sav.body as Buffer, dta.body as Buffer]) {
    expect(file.includes(Buffer.from('SXD/'))).toBe(true);
    expect(file.includes(Buffer.from(`${FEW}/`))).toBe(false);
  }
});
