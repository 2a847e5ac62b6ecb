import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser as Chromium, BrowserContext, Page } from 'playwright-core';
import { fromRoot } from '../../server/paths.js';
import { Browser, createAccount, type TestApp } from '../support/app.js';
import { signIn as signInAt, startBrowserApp, type BrowserApp } from '../support/browser-app.js';
import { inkedCanvases } from '../support/canvas.js';
import { campaignPaths } from '../support/pages.js';
import { smallFrameCsv } from '../support/sampling.js';
import { answerEverySection } from '../support/phone.js';
import { answerUnit, startSurvey } from '../support/survey.js';

/**
 * The whole survey year in a real browser, every step through the pages a person would use: the
 * administrator creates the campaign, its units and committee, imports the frame, designs and draws the
 * sample; the five committee members create their keys; the letters give the access codes; businesses
 * answer (two on a phone, the rest through HTTP for time); fieldwork is closed after its confirmation page;
 * three of five members approve, the run unseals and scores; the chair reads and publishes; anyone reads the
 * report. Every page visited is checked with axe-core (no serious or critical violation) and for sideways
 * scrolling, and a screenshot of it is kept in test-artifacts/e2e/year-*.png.
 */
const artifacts = fromRoot('test-artifacts', 'e2e');
const UNITS = [
  { code: 'SXD', block: 'provincial', nameVi: 'Sở Xây dựng', nameEn: 'Department of Construction' },
  { code: 'STC', block: 'provincial', nameVi: 'Sở Tài chính', nameEn: 'Department of Finance' },
  { code: 'XHL', block: 'commune', nameVi: 'UBND xã Hoàng Văn Thụ', nameEn: 'Hoang Van Thu Commune' },
];
const PASSPHRASE = 'mot cum mat khau rieng cua thanh vien hoi dong';
let app: BrowserApp;
let t: TestApp;
let chromiumBrowser: Chromium;
let base: string;
let shots = 0;
/** What the walk leaves for the page-by-page check: the published campaign and its chair. */
let yearCampaignId: string | undefined;
let chairName: string | undefined;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  app = await startBrowserApp();
  ({ t, base, browser: chromiumBrowser } = app);
}, 120_000);
afterAll(() => app?.close());

const desk = () => chromiumBrowser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
const phone = () => chromiumBrowser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' });

/**
 * Keeps a screenshot of the page as it stands and checks it never scrolls sideways; with `axe`, also checks
 * it with axe-core — for the pages of a stage the page-by-page check below (run after publication) cannot see.
 */
async function look(page: Page, name: string, options: { fullPage?: boolean; axe?: boolean } = {}) {
  const { fullPage = true, axe = false } = options;
  await page.waitForLoadState('networkidle');
  if (axe) {
    const found = await new AxeBuilder({ page }).analyze();
    const serious = found.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect({ page: name, serious }).toEqual({ page: name, serious: [] });
  }
  expect({ page: name, overflow: await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') }).toEqual({ page: name, overflow: 0 });
  await page.screenshot({ path: path.join(artifacts, `year-${String(++shots).padStart(2, '0')}-${name}.png`), fullPage });
}

const signIn = (context: BrowserContext, username: string): Promise<Page> => signInAt(context, base, username);

const press = async (page: Page, name: string | RegExp) => {
  await page.getByRole('button', { name }).first().click();
  await page.waitForLoadState('load');
};

/** Follows a page that refreshes itself while background work runs until `text` is on it. */
async function until(page: Page, text: string) {
  try {
    await page.getByText(text).first().waitFor({ state: 'visible', timeout: 120_000 });
  } catch (error) {
    const shown = await page.locator('main').innerText().catch(() => '(no page)');
    throw new Error(`"${text}" never appeared on ${page.url()}; the page showed:\n${shown.slice(0, 2000)}`, { cause: error });
  }
}

test('a survey year from an empty campaign to the published report, in the browser', async () => {
  const admin = await createAccount(t.db, 'admin');
  const committee = [await createAccount(t.db, 'chair', 'chutich', { withKeys: false })];
  for (const n of [1, 2, 3, 4]) committee.push(await createAccount(t.db, 'member', `thanhvien${n}`, { withKeys: false }));

  // The administrator: campaign, units (CSV), committee of five with three needed.
  const adminDesk = await desk();
  const a = await signIn(adminDesk, admin.username);
  await look(a, 'home');
  await a.goto(`${base}/campaigns`);
  await a.locator('input[name=province]').fill('Lạng Sơn');
  await a.locator('input[name=year]').fill('2026');
  await a.locator('input[name=title]').fill('DDCI Lạng Sơn 2026');
  await press(a, 'Tạo mới');
  const campaignUrl = a.url();
  const campaignId = campaignUrl.split('/').pop()!;
  const units = ['code,block,name_vi,name_en', ...UNITS.map((u) => `${u.code},${u.block},${u.nameVi},${u.nameEn}`)].join('\n') + '\n';
  // The campaign page is in sections: its units, its committee, its documents, its progress.
  await a.locator('nav.tabs').getByRole('link', { name: 'Đơn vị' }).click();
  await a.locator('input[type=file][name=file]').setInputFiles({ name: 'units.csv', mimeType: 'text/csv', buffer: Buffer.from(units, 'utf8') });
  await press(a, 'Nhập danh sách từ tệp CSV');
  for (const u of UNITS) await a.getByText(u.nameVi).first().waitFor();
  await a.locator('nav.tabs').getByRole('link', { name: 'Hội đồng' }).click();
  await a.locator('input[name=size]').fill('5');
  await a.locator('input[name=threshold]').fill('3');
  await a.locator('form[action$="/committee"] button').click();
  await a.waitForLoadState('load');
  for (const member of committee) await a.locator(`input[name=members][value="${member.username}"]`).check();
  await a.locator('form[action$="/committee/members"] button').click();
  await a.waitForLoadState('load');
  await look(a, 'campaign-draft', { axe: true });
  await a.locator('nav.tabs').getByRole('link', { name: 'Tiến độ' }).click();
  await press(a, /Chuyển sang/);

  // Sampling: the frame, frozen; a design; a committed seed; the draw; the letters.
  await a.goto(`${campaignUrl}/sampling`);
  await a.locator('input[type=file][name=file]').setInputFiles({ name: 'frame.csv', mimeType: 'text/csv', buffer: Buffer.from(smallFrameCsv(UNITS.map((u) => u.code), 14), 'utf8') });
  await a.locator('form[action*="/frame?"] button').click();
  await a.waitForLoadState('load');
  await until(a, 'Chốt khung mẫu');
  await press(a, 'Chốt khung mẫu');
  await a.locator('input[name=minPerUnit]').fill('12');
  await a.locator('input[name=maxPerUnit]').fill('12');
  await a.locator('input[name=reserveRatio]').fill('0');
  await a.locator('input[name=bySizeBand]').uncheck();
  await a.locator('form[action$="/design"] button').click();
  await a.waitForLoadState('load');
  await a.locator('input[name=seed]').fill('bốc thăm công khai ngày 1/12/2026');
  await press(a, 'Cam kết hạt giống');
  await press(a, 'Rút mẫu');
  await look(a, 'sampling-drawn', { axe: true });
  await a.goto(`${campaignUrl}/invitations`);
  await press(a, 'Tạo thư mời và mã truy cập');
  await look(a, 'invitations', { axe: true });

  // Each member creates the personal keys at first sign-in.
  for (const member of committee) {
    const context = await desk();
    const page = await signIn(context, member.username);
    expect(page.url()).toBe(`${base}/committee/keys`);
    await page.locator('input[name=passphrase]').fill(PASSPHRASE);
    await page.locator('input[name=confirm]').fill(PASSPHRASE);
    await press(page, 'Tạo khóa cá nhân');
    await page.getByText(/[0-9A-F]{4}( [0-9A-F]{4}){15}/).first().waitFor();
    if (member === committee[0]) await look(page, 'member-keys', { axe: true });
    await context.close();
  }

  // Fieldwork: a page says what opening does (the key split among the members, all ready), then the key
  // ceremony runs with the move; the letters carry the codes.
  await a.goto(campaignUrl);
  await a.getByRole('link', { name: /Chuyển sang/ }).click();
  await a.waitForURL(`${campaignUrl}/open`);
  await until(a, 'Khóa của đợt khảo sát được tạo và chia thành');
  await look(a, 'confirm-open', { axe: true });
  await press(a, 'Mở đợt thu thập phiếu');
  await look(a, 'campaign-fieldwork');
  await a.goto(`${campaignUrl}/invitations/letters?page=0`);
  const codes = (await a.locator('.letter .code').allTextContents()).map((c) => c.trim());
  expect(codes.length).toBe(36);

  // Two businesses answer on a phone; the rest through HTTP (for time), at least ten per unit.
  for (const code of codes.slice(0, 2)) {
    const context = await phone();
    const page = await context.newPage();
    await page.goto(`${base}/survey?code=${code}`);
    if (code === codes[0]) await look(page, 'survey-units-phone', { axe: true });
    await page.getByRole('link', { name: 'Trả lời' }).first().tap();
    await page.waitForURL(/\/survey\/units\/\w+$/);
    if (code === codes[0]) await look(page, 'survey-form-phone', { fullPage: false, axe: true }); // one section a screen
    await answerEverySection(page, '12');
    if (code === codes[0]) await look(page, 'survey-review-phone', { axe: true });
    await page.getByRole('button', { name: 'Gửi phiếu' }).tap();
    await page.waitForURL(/\/receipt$/);
    if (code === codes[0]) await look(page, 'survey-receipt-phone', { axe: true });
    await context.close();
  }
  for (const code of codes.slice(2, 34)) {
    const respondent = new Browser(t.app);
    const entered = await startSurvey(respondent, code);
    const unit = /\/survey\/units\/(\w+)/.exec((await respondent.get(entered.headers.location!)).text)![1]!;
    expect((await answerUnit(respondent, unit)).res.status).toBe(303);
  }
  await a.goto(`${campaignUrl}/responses`);
  await look(a, 'fieldwork-monitoring');

  // Closing asks for confirmation first.
  await a.goto(campaignUrl);
  await a.getByRole('link', { name: /Chuyển sang/ }).click();
  await a.waitForURL(`${campaignUrl}/close`);
  await look(a, 'confirm-close', { axe: true });
  await press(a, 'Kết thúc thu thập phiếu');
  await adminDesk.close();

  // Three of the five approve; the third starts the run and watches it finish.
  let chairPage: Page | undefined;
  for (const member of [committee[2]!, committee[4]!, committee[0]!]) {
    const context = await desk();
    const page = await signIn(context, member.username);
    await page.goto(`${campaignUrl}/unseal`);
    await page.locator('input[name=passphrase]').fill(PASSPHRASE);
    await press(page, 'Đồng ý mở niêm phong');
    if (member === committee[0]) chairPage = page;
    else await context.close();
  }
  const chair = chairPage!;
  await look(chair, 'unseal-quorum', { axe: true });
  await press(chair, 'Mở niêm phong và tính điểm');
  await until(chair, 'Kết quả đã được tính và niêm phong cho Hội đồng.');
  await look(chair, 'unseal-done');

  // The chair reads the sealed results and publishes them, signed.
  await chair.goto(`${campaignUrl}/results/sealed`);
  await chair.locator('input[name=passphrase]').fill(PASSPHRASE);
  await press(chair, 'Đọc kết quả');
  await look(chair, 'results-sealed', { axe: true });
  // Printed, the preview carries the mark on every page, as the chair's browser would print it.
  const sealedPdf = path.join(artifacts, 'year-results-sealed.pdf');
  await chair.pdf({ path: sealedPdf, format: 'A4' });
  const sealedPages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [sealedPdf], { encoding: 'utf8' }))![1]);
  expect(sealedPages).toBeGreaterThan(1);
  for (let n = 1; n <= sealedPages; n++) expect(execFileSync('pdftotext', ['-f', String(n), '-l', String(n), sealedPdf, '-'], { encoding: 'utf8' })).toContain('MẬT — CHƯA CÔNG BỐ');
  await chair.locator('form[action$="/publish"] input[name=passphrase]').fill(PASSPHRASE);
  await chair.locator('form[action$="/publish"] input[name=confirm]').check();
  await press(chair, 'Công bố kết quả (Chủ tịch ký)');
  expect(chair.url()).toBe(`${campaignUrl}/results`);
  yearCampaignId = campaignId;
  chairName = committee[0]!.username;

  // Anyone, on a phone and on a desk: the published report with its charts drawn.
  for (const context of [await phone(), await desk()]) {
    const page = await context.newPage();
    await page.goto(`${campaignUrl}/results`);
    for (const u of UNITS) await page.getByText(u.nameVi).filter({ visible: true }).first().waitFor(); // a card on the phone, a table row on the desk
    const inked = await inkedCanvases(page);
    expect(inked.length).toBeGreaterThan(0);
    for (const ink of inked) expect(ink).toBeGreaterThan(1000);
    await look(page, `public-report-${page.viewportSize()?.width ?? 0}`);
    await context.close();
  }
}, 600_000);

/** Pages that are the same for everyone once published: checked once, as the public sees them. */
const PUBLIC = /\/(results|report|transparency)(\/|$)|^\/survey|^\/login/;

test('every page of every role, in Vietnamese and in English, at 1366 and 390 px: no serious accessibility violation, none wider than a phone', async () => {
  expect(yearCampaignId).toBeDefined(); // the walk above published it
  const id = yearCampaignId!;
  const paths = [...campaignPaths(id), '/staff', '/committee/keys', '/account/password', '/login', '/survey', `/campaigns/${id}/results/units/XHL`]
    .filter((p) => !/\.(json|csv|xlsx|sav|dta|pdf|md)$/.test(p));
  const observer = await createAccount(t.db, 'observer');
  const enumerator = await createAccount(t.db, 'enumerator');
  const admin = await createAccount(t.db, 'admin');
  // At 1366 px every role opens every page it may in both languages: each must answer in that language. At both
  // widths each page is checked once per language, as the first role that may open it sees it (administrators see
  // the most forms): it must fit the screen, and in Vietnamese axe must find nothing serious. Pages the same for
  // everyone are opened as the public sees them.
  const roles: [string, string | null][] = [['admin', admin.username], ['observer', observer.username], ['chair', chairName!], ['enumerator', enumerator.username], ['public', null]];
  const problems: string[] = [];
  const checked = new Set<string>();
  for (const [role, username] of roles) {
    for (const [width, open] of [[1366, desk], [390, phone]] as const) {
      const context = await open();
      const page = username ? await signIn(context, username) : await context.newPage();
      for (const lang of ['vi', 'en']) {
        for (const path of paths) {
          if (role !== 'public' && PUBLIC.test(path)) continue;
          const first = !checked.has(`${width} ${lang} ${path}`);
          if (width === 390 && !first) continue;
          const res = await page.goto(`${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
          if (res!.status() >= 500) problems.push(`${role} ${lang} ${path}: HTTP ${res!.status()}`);
          if (res!.status() !== 200 || !res!.headers()['content-type']?.startsWith('text/html')) continue;
          if ((await page.getAttribute('html', 'lang')) !== lang) problems.push(`${role} ${lang} ${path}: not in ${lang}`);
          if (!first) continue;
          checked.add(`${width} ${lang} ${path}`);
          const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
          if (overflow > 0) problems.push(`${role} ${lang} ${path} at ${width} px: ${overflow} px wider than the screen (${await widestElement(page)})`);
          if (lang !== 'vi') continue;
          await page.waitForLoadState('networkidle');
          const axe = await new AxeBuilder({ page }).analyze();
          for (const v of axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) problems.push(`${role} ${path} at ${width} px: ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
          if (width === 390) await page.screenshot({ path: `${artifacts}/390-${role}-${path === '/' ? 'home' : path.replace(id, 'campaign').replace(/\W+/g, '-').slice(1)}.png`, fullPage: false });
        }
      }
      await context.close();
    }
  }
  expect(problems).toEqual([]);
  expect(checked.size).toBeGreaterThan(80); // ~25 pages × 2 languages × 2 widths
}, 600_000);

/** What sticks out past the screen's right edge and is not inside a scrolling box: the innermost such elements. */
const WIDEST = `(() => {
  const width = document.documentElement.clientWidth;
  const clipped = (el) => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return true; return false; };
  const out = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > width + 0.5 && !clipped(el));
  return out.filter((el) => !out.some((o) => o !== el && el.contains(o))).slice(0, 3)
    .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).trim().split(/\\s+/).join('.') : '') + ' “' + (el.textContent || '').trim().slice(0, 40) + '”').join(', ');
})()`;
const widestElement = (page: Page) => page.evaluate(WIDEST) as Promise<string>;
