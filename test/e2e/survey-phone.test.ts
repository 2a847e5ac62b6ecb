import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { storedEnvelopes } from '../support/responses.js';
import { fromRoot } from '../../server/paths.js';
import type { TestApp } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser-app.js';
import { campaignInFieldwork, type FieldworkCampaign } from '../support/fieldwork.js';
import { answerEverySection, answerShown } from '../support/phone.js';

const artifacts = fromRoot('test-artifacts', 'e2e');
let app: BrowserApp;
let t: TestApp;
let browser: Browser;
let base: string;
let fw: FieldworkCampaign;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  app = await startBrowserApp();
  ({ t, browser, base } = app);
  fw = await campaignInFieldwork(t.db, 'Lạng Sơn', ['SXD', 'HCL']);
}, 120_000);
afterAll(() => app?.close());

const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage });

test('a business answers a district form on a phone: client-side checks, a draft that survives a reload, a receipt', async () => {
  const invitation = fw.invitations.find((i) => i.units.includes('HCL'))!;
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' });
  const page = await context.newPage();

  await page.goto(`${base}/survey?code=${invitation.code}`);
  await shot(page, '1-units');
  await page.getByRole('link', { name: 'Trả lời' }).first().tap();
  await page.waitForURL(/\/survey\/units\/HCL$/);

  // One section a screen with its progress. The first answered, Continue; the second all but A1: Continue
  // is stopped by the browser's check from the answer schema, which says why.
  const next = page.getByRole('button', { name: 'Tiếp tục' });
  expect(await page.locator('.survey-section:visible').count()).toBe(1);
  const sections = await page.locator('.survey-section').count();
  expect(await page.locator('.step-label').textContent()).toMatch(new RegExp(`^Phần 1/${sections}: `));
  expect(await page.getByRole('button', { name: 'Gửi phiếu' }).isVisible()).toBe(false);
  await answerShown(page);
  await next.tap();
  expect(await page.locator('.step-label').textContent()).toMatch(new RegExp(`^Phần 2/${sections}: A\\.`));
  await answerShown(page, ['A1']);
  await next.tap();
  await page.waitForFunction("document.querySelector('#e-A1').textContent !== ''"); // code run in the page
  expect(await page.locator('#e-A1').textContent()).toBe('Vui lòng trả lời câu hỏi này.');
  expect(await page.locator('fieldset.invalid').count()).toBe(1);
  expect(await page.locator('.step-label').textContent()).toMatch(/^Phần 2\//); // still on the section
  await shot(page, '2-client-check', false); // the screen as the respondent sees it: scrolled to the question

  // A reload loses nothing: the draft comes back from this browser's storage.
  await page.reload();
  await page.locator('.draft-restored').waitFor({ state: 'visible' });
  expect(await page.locator('#q-A2 input:checked').count()).toBe(1);
  expect(await page.locator('#q-A1 input:checked').count()).toBe(0);

  // Every section, one screen at a time, to the review: each part with its answered count and a way back.
  expect(await answerEverySection(page)).toBe(sections);
  const review = page.locator('.survey-review');
  await review.waitFor({ state: 'visible' });
  expect(await review.locator('li').count()).toBe(sections);
  expect(await review.locator('li.review-missing').count()).toBe(0);
  expect(await review.locator('li').nth(1).textContent()).toMatch(/đã trả lời (\d+)\/\1 câu/);
  await shot(page, '3-review', false);
  await review.getByRole('button', { name: 'Sửa' }).nth(1).tap();
  expect(await page.locator('.step-label').textContent()).toMatch(/^Phần 2\//);
  expect(await answerEverySection(page)).toBe(sections - 1);
  await page.getByRole('button', { name: 'Gửi phiếu' }).tap();
  await page.waitForURL(/\/receipt$/);
  await shot(page, '4-receipt');
  await page.getByRole('heading', { name: 'Đã nhận phiếu' }).waitFor({ state: 'visible' });
  const receipt = (await page.locator('#receipt').getAttribute('data-receipt'))!;
  expect(receipt).toMatch(/^[0-9a-f]{64}$/);
  const stored = await storedEnvelopes(t, fw.campaignId);
  expect(stored.map((r) => createHash('sha256').update(r.envelope).digest('hex'))).toContain(receipt);
  // The draft is gone once the form is stored.
  expect(await page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('ddci-draft-'))")).toEqual([]);

  // The page fits the phone: nothing wider than the screen.
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  await context.close();
}, 120_000);

