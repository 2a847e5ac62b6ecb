import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { fromRoot } from '../../server/paths.js';
import { questionsOf, shippedCatalog, type Methodology, type Questionnaire } from '../../server/questionnaires/index.js';
import { findDesign } from '../../server/design/service.js';
import { createAccount } from '../support/app.js';
import { checkPage, signIn, startBrowserApp, type BrowserApp } from '../support/browser-app.js';

/**
 * The survey designer in a real browser (docs/designer.md): an administrator starts next year's version
 * from this year's, rewords a question, adds one with a display rule and moves a weight, all with the
 * keyboard-reachable forms; previews the form on a phone (the rule working, nothing stored) and prints the
 * paper questionnaire. Every page is checked with axe-core and for sideways scrolling at 390 and 1366 px;
 * screenshots and the PDF go to test-artifacts/designer/.
 */
const artifacts = fromRoot('test-artifacts', 'designer');
let app: BrowserApp;
beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  app = await startBrowserApp();
}, 120_000);
afterAll(() => app?.close());

const look = (page: Page, name: string) => checkPage(page, artifacts, name);

const VERSION = '2033.1';

test('next year’s survey designed in the browser: reworded, a question added with a rule, a weight moved', async () => {
  const admin = await createAccount(app.t.db, 'admin');
  const context = await app.browser.newContext({ locale: 'vi-VN', viewport: { width: 1366, height: 900 } });
  const page = await signIn(context, app.base, admin.username);
  await page.getByRole('link', { name: 'Thiết kế khảo sát' }).click();
  await look(page, 'list-1366');
  await page.getByLabel('Từ phiên bản').selectOption('methodology:2026.3');
  await page.getByLabel('Số phiên bản mới').fill(VERSION);
  await page.getByRole('button', { name: 'Tạo bản nháp' }).click();
  await page.waitForURL(`${app.base}/design/methodology/${VERSION}`);
  expect(page.url()).toBe(`${app.base}/design/methodology/${VERSION}`);
  await look(page, 'methodology-1366');

  // A weight moved: P1 of the provincial block from 15 % to 20 %, P4 from 10 % to 5 %.
  await page.locator('#weight\\.provincial\\.P1').fill('20');
  await page.locator('#weight\\.provincial\\.P4').fill('5');
  await page.getByRole('button', { name: 'Lưu trọng số' }).click();
  await page.waitForURL(`${app.base}/design/methodology/${VERSION}`);
  await expect(page.locator('.notice').first().textContent()).resolves.toContain('Đã lưu');

  // A question reworded, with the keyboard: its link, its text field, Enter on the save button.
  await page.locator(`a[href="/design/questionnaire/department-${VERSION}"]`).first().click();
  await look(page, 'questionnaire-1366');
  await page.getByRole('link', { name: /^A1 / }).click();
  await page.getByLabel('Câu hỏi (tiếng Việt)').fill('Thủ tục của đơn vị được công khai đầy đủ, dễ tìm, dễ hiểu.');
  await page.getByRole('button', { name: 'Lưu câu hỏi' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/design/questionnaire/department-${VERSION}`));

  // A question added with a display rule; the options and bounds fields hide for a yes/no question.
  await page.getByRole('link', { name: 'Thêm câu hỏi' }).nth(1).click();
  await page.getByLabel('Loại câu hỏi').selectOption('yesno');
  await expect(page.getByLabel('Phương án (câu chọn một, chọn nhiều)').isVisible()).resolves.toBe(false);
  await page.locator('input[name=code]').fill('A9');
  await page.getByLabel('Câu hỏi (tiếng Việt)').fill('Đơn vị có hướng dẫn trực tuyến từng bước không?');
  await page.getByLabel('Câu hỏi (tiếng Anh)').fill('Does the unit guide you online step by step?');
  await page.getByLabel('Cho phép “Không biết / Không áp dụng”').uncheck();
  await page.getByLabel('Chỉ hỏi sau câu').selectOption('A1');
  await page.getByLabel('khi câu đó được trả lời là').fill('4 5');
  await look(page, 'question-new-1366');
  await page.getByRole('button', { name: 'Lưu câu hỏi' }).click();
  await page.waitForURL(new RegExp(`/design/questionnaire/department-${VERSION}`));
  await expect(page.locator('#q-A9').textContent()).resolves.toContain('chỉ hỏi khi A1 là 4, 5');
  await context.close();

  const catalog = shippedCatalog();
  const form = (await findDesign(app.t.db, catalog, 'questionnaire', `department-${VERSION}`))!.document as Questionnaire;
  expect(questionsOf(form).find((q) => q.code === 'A1')!.text.vi).toBe('Thủ tục của đơn vị được công khai đầy đủ, dễ tìm, dễ hiểu.');
  expect(questionsOf(form).find((q) => q.code === 'A9')).toMatchObject({ type: 'yesno', required: true, dontKnow: false, showIf: { question: 'A1', anyOf: ['4', '5'] } });
  const methodology = (await findDesign(app.t.db, catalog, 'methodology', VERSION))!.document as Methodology;
  expect(methodology.blocks[0]!.weights).toMatchObject({ P1: 0.2, P4: 0.05 });
}, 120_000);

test('the preview on a phone: the form a business sees, its display rule working, nothing kept', async () => {
  const admin = await createAccount(app.t.db, 'admin');
  const context = await app.browser.newContext({ locale: 'vi-VN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await signIn(context, app.base, admin.username);
  await page.goto(`${app.base}/design`);
  await look(page, 'list-390');
  await page.goto(`${app.base}/design/questionnaire/department-${VERSION}/questions/A9`);
  await look(page, 'question-390');
  await page.goto(`${app.base}/design/questionnaire/department-${VERSION}/preview`);
  await expect(page.getByText('Xem trước: đây đúng là phiếu doanh nghiệp thấy').isVisible()).resolves.toBe(true);
  await page.locator('#q-S1 label.choice').first().click();
  await page.getByRole('button', { name: 'Tiếp tục' }).click(); // section S answered → section A
  const a9 = page.locator('#q-A9');
  expect(await a9.isVisible()).toBe(false);
  await page.locator('#q-A1 label.choice', { hasText: 'Rất đồng ý' }).click();
  expect(await a9.isVisible()).toBe(true);
  await look(page, 'preview-390');
  await page.locator('#q-A1 label.choice', { hasText: 'Không đồng ý' }).first().click();
  expect(await a9.isVisible()).toBe(false);
  expect(await page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('ddci-draft')).length")).toBe(0);
  await context.close();
}, 120_000);

test('the paper questionnaire: A4, every question code and its Vietnamese text, the unit named', async () => {
  const admin = await createAccount(app.t.db, 'admin');
  const context = await app.browser.newContext({ locale: 'vi-VN' });
  const page = await signIn(context, app.base, admin.username);
  const res = await page.request.get(`${app.base}/design/questionnaire/department-${VERSION}/paper.pdf?unit=${encodeURIComponent('Sở Xây dựng')}`);
  expect(res.status()).toBe(200);
  const file = path.join(artifacts, 'paper.pdf');
  writeFileSync(file, await res.body());
  await context.close();
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  expect(info).toMatch(/Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts/);
  // Text extraction breaks lines where the page does: compare without whitespace.
  const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  expect(text).toContain('Đơnvịđượcđánhgiá:SởXâydựng');
  const form = (await findDesign(app.t.db, shippedCatalog(), 'questionnaire', `department-${VERSION}`))!.document as Questionnaire;
  for (const q of questionsOf(form)) {
    expect(text).toContain(q.code);
    expect(text).toContain(q.text.vi.replace(/\s+/g, ''));
  }
  expect(text).toContain('ChỉtrảlờinếucâuA1là4,5.');
  expect(text).toContain('Khôngbiết/Khôngápdụng[DK]');
  execFileSync('pdftoppm', ['-r', '60', '-png', file, path.join(artifacts, 'paper')]);
}, 120_000);
