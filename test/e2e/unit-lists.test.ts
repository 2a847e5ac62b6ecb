import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../server/paths.js';
import { createAccount } from '../support/app.js';
import { campaignInSampling } from '../support/fieldwork.js';
import { checkPage, signIn, startBrowserApp, type BrowserApp } from '../support/browser-app.js';
import { importFrame, smallFrameCsv } from '../support/sampling.js';

/**
 * A unit contact's list page and the administrator's frame sources in a browser, at 390 and 1366 px: the
 * contact uploads its list (one row naming another unit), sees that row's error, imports the valid rows;
 * the sampling page shows where each unit's frame came from. Axe-core clean, no sideways scroll.
 * Screenshots go to test-artifacts/unit-lists/.
 */
const artifacts = fromRoot('test-artifacts', 'unit-lists');
let app: BrowserApp;
let campaignId: string;
beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  app = await startBrowserApp();
  const { db } = app.t;
  ({ campaignId } = await campaignInSampling(db, 'Lạng Sơn', ['SXD', 'P-TAMTHANH'], {
    committee: { size: 2, threshold: 2 },
    block: (code) => (code.startsWith('P-') ? 'commune' : 'provincial'),
    names: { SXD: 'Sở Xây dựng', 'P-TAMTHANH': 'Phường Tam Thanh' },
    title: 'Khảo sát DDCI tỉnh Lạng Sơn năm 2026',
  }));
  await importFrame(db, 'test', campaignId, smallFrameCsv(['SXD', 'P-TAMTHANH'], 8));
}, 120_000);
afterAll(() => app?.close());

test.each([390, 1366])('a unit contact sends its list, and the administrator sees the sources, at %i px', async (width) => {
  const contact = await createAccount(app.t.db, 'unit_contact', undefined, { unitCodes: ['P-TAMTHANH'] });
  const options = { locale: 'vi-VN', viewport: { width, height: 900 }, ...(width < 500 ? { isMobile: true, hasTouch: true } : {}) };
  const context = await app.browser.newContext(options);
  const page = await signIn(context, app.base, contact.username);
  await page.waitForURL(/\/lists$/);
  const list = path.join(artifacts, `danh-sach-${width}.csv`);
  writeFileSync(
    list,
    [
      'tax_code,name,address,district,sector,size_band,email,phone,unit_code,dealings,source',
      `1000000100,Hộ kinh doanh Tam Thanh,Số 1 Bà Triệu,TPLS,Dịch vụ,micro,,,P-TAMTHANH,2,`,
      `${3_000_000_000 + width * 10 + 1},Hộ kinh doanh mới ${width},Số 2 Bà Triệu,TPLS,Dịch vụ,micro,,,P-TAMTHANH,1,`,
      `${3_000_000_000 + width * 10 + 2},Công ty khác,Số 3 Bà Triệu,TPLS,Dịch vụ,small,,,SXD,1,`,
    ].join('\n'),
  );
  await page.getByLabel('Tải lên danh sách (CSV hoặc XLSX)').setInputFiles(list);
  await page.getByRole('button', { name: 'Gửi danh sách' }).click();
  await page.getByText('Đơn vị “SXD” không phải đơn vị của bạn').waitFor();
  await checkPage(page, artifacts, `contact-errors-${width}`);
  await page.getByRole('button', { name: 'Chỉ nhập 2 dòng hợp lệ' }).click();
  await page.getByText('Đã nhập 2 dòng hợp lệ của danh sách.').waitFor();
  await checkPage(page, artifacts, `contact-${width}`);
  await context.close();

  const admin = await createAccount(app.t.db, 'admin');
  const adminContext = await app.browser.newContext(options);
  const adminPage = await signIn(adminContext, app.base, admin.username);
  await adminPage.goto(`${app.base}/campaigns/${campaignId}/sampling`);
  const row = adminPage.locator('#frame-sources tr[data-frame-unit="P-TAMTHANH"] td');
  // Phường Tam Thanh: 8 from procedures; the unit's latest list adds one new business and names one of them too.
  expect((await row.allTextContents()).slice(0, 5)).toEqual(['Phường Tam Thanh', '9', '7', '1', '1']);
  await checkPage(adminPage, artifacts, `sampling-${width}`);
  await adminContext.close();
}, 120_000);
