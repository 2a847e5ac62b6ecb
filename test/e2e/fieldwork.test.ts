import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { fromRoot } from '../../server/paths.js';
import { createAccount } from '../support/app.js';
import { checkPage, signIn, startBrowserApp, type BrowserApp } from '../support/browser-app.js';
import { campaignInFieldwork, type FieldworkCampaign } from '../support/fieldwork.js';

/**
 * The fieldwork pages of issue 25 in a browser, at 390 and 1366 px: the response-rate page with its outlook,
 * the invitations page with its reminders, the enumerators' call list — axe-core clean, no sideways scroll —
 * and the reminder letters printed one to an A4 page. Screenshots and the PDF go to test-artifacts/fieldwork/.
 */
const artifacts = fromRoot('test-artifacts', 'fieldwork');
let app: BrowserApp;
let fw: FieldworkCampaign;
beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  app = await startBrowserApp();
  fw = await campaignInFieldwork(app.t.db, 'Lạng Sơn', ['SXD', 'STC', 'HCL'], { perUnit: 12, design: { minPerUnit: 12, maxPerUnit: 12 } });
}, 120_000);
afterAll(() => app?.close());

const look = (page: Page, name: string) => checkPage(page, artifacts, name);

test.each([390, 1366])('the outlook, the reminders and the call list at %i px', async (width) => {
  const admin = await createAccount(app.t.db, 'admin');
  const context = await app.browser.newContext({ locale: 'vi-VN', viewport: { width, height: 900 }, ...(width < 500 ? { isMobile: true, hasTouch: true } : {}) });
  const page = await signIn(context, app.base, admin.username);
  await page.goto(`${app.base}/campaigns/${fw.campaignId}/responses`);
  await expect(page.getByText(/Thu thập từ .* đã qua \d+\s%\sthời gian/).isVisible()).resolves.toBe(true);
  await look(page, `responses-${width}`);
  await page.goto(`${app.base}/campaigns/${fw.campaignId}/invitations`);
  await look(page, `invitations-${width}`);
  await page.getByRole('button', { name: 'Danh sách gọi điện' }).click();
  await page.waitForURL(/\/invitations\/calls/);
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Danh sách gọi điện');
  await look(page, `calls-${width}`);
  await context.close();
}, 120_000);

test('reminder letters print one to an A4 page, each with its business’s units still to answer', async () => {
  const admin = await createAccount(app.t.db, 'admin');
  const context = await app.browser.newContext({ locale: 'vi-VN' });
  const page = await signIn(context, app.base, admin.username);
  const res = await page.goto(`${app.base}/campaigns/${fw.campaignId}/invitations/reminders?unit=SXD`);
  expect(res!.status()).toBe(200);
  await page.evaluate('document.fonts.ready');
  const file = path.join(artifacts, 'reminders.pdf');
  writeFileSync(file, await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true }));
  await context.close();
  const expected = fw.invitations.filter((i) => i.units.includes('SXD')).length;
  expect(Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1])).toBe(expected);
  const first = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', file, '-'], { encoding: 'utf8' });
  expect(first).toContain('V/v nhắc trả lời phiếu khảo sát');
  expect(first).toContain('Đơn vị SXD');
  execFileSync('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '1', file, path.join(artifacts, 'reminder')]);
}, 120_000);
