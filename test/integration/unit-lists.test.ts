import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_DESIGN } from '../../server/sampling/design.js';
import { commitSeed, drawCampaignSample, saveDesign } from '../../server/sampling/plan.js';
import { verifySample } from '../../server/sampling/verify.js';
import { appRoutes, Browser, loggedIn, startTestApp, TEST_PASSWORD, type TestApp } from '../support/app.js';
import { campaignInSampling } from '../support/fieldwork.js';
import { smallFrameCsv } from '../support/sampling.js';

/**
 * Units' own lists (docs/design.md §5): two unit contacts send overlapping lists beside the administrator's
 * procedures export; the merged frame, the sources per unit, the transparency shares and the merged file a
 * re-draw uses are right; a contact reaches its lists and nothing else.
 */

let t: TestApp;
let admin: Browser;
let adminName: string;
let campaignId: string;
const contacts = {} as Record<'a' | 'b', { browser: Browser; username: string }>;
const UNITS = ['SYT', 'SXD', 'STP'];
// smallFrameCsv gives unit u the tax codes 1000000000 + 100u + b, b < 6.
const procedureCode = (unit: number, b: number) => String(1_000_000_000 + unit * 100 + b);
const SHARED_NEW = '2000000001'; // on both contacts' lists, for different units
const header = 'tax_code,name,address,district,sector,size_band,email,phone,unit_code,dealings,source';
const row = (taxCode: string, unit: string, dealings = 1, source = '') => `${taxCode},Hộ kinh doanh ${taxCode},Số 1 Bà Triệu,TPLS,Dịch vụ,micro,,,${unit},${dealings},${source}`;

beforeAll(async () => {
  t = await startTestApp();
  ({ browser: admin, username: adminName } = await loggedIn(t.app, t.db, 'admin'));
  ({ campaignId } = await campaignInSampling(t.db, 'Lạng Sơn', UNITS, { committee: { size: 2, threshold: 2 }, title: 'DDCI 2026 (danh sách đơn vị)' }));
  // Contacts are made through the staff page, as an administrator would.
  for (const [key, units] of [['a', 'syt'], ['b', 'SXD, NOT-HERE']] as const) {
    const username = `daumoi-${key}`;
    const made = await admin.post('/staff', { username, displayName: `Đầu mối ${key}`, role: 'unit_contact', units });
    expect(made.status).toBe(200);
    const oneTime = new RegExp(`một lần của ${username}: (\\S+) —`).exec(made.text)![1]!;
    const browser = new Browser(t.app);
    expect((await browser.login(username, oneTime)).headers.location).toBe('/account/password');
    await browser.get('/account/password');
    // Signed in, a unit contact lands on its lists.
    expect((await browser.post('/account/password', { current: oneTime, next: TEST_PASSWORD, confirm: TEST_PASSWORD })).headers.location).toBe('/lists');
    contacts[key] = { browser, username };
  }
}, 120_000);
afterAll(() => t.close());

function send(browser: Browser, url: string, content: string, fileName = 'danh-sach.csv') {
  return browser.agent.post(`${url}?_csrf=${encodeURIComponent(browser.currentToken()!)}`).attach('file', Buffer.from(content, 'utf8'), fileName);
}

/** An upload is checked in the background: follow the page until it has finished. */
async function settled(browser: Browser, page: string) {
  for (let i = 0; i < 100; i++) {
    const res = await browser.get(page);
    if (!res.text.includes('http-equiv="refresh"')) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('import did not finish');
}

const sourcesOnPage = (html: string) =>
  Object.fromEntries([...html.matchAll(/<tr data-frame-unit="([^"]+)"><td>[^<]*<\/td>((?:<td class="num">[^<]*<\/td>)+)/g)].map((m) => [m[1], [...m[2]!.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((c) => c[1])]));

test('a contact account holds its units (upper-cased, trimmed); one without a unit is refused beside the field', async () => {
  const page = await admin.get('/staff');
  expect(page.text).toMatch(/daumoi-a<\/code>[\s\S]*?Đầu mối đơn vị<br><span class="muted"><code>SYT<\/code>/);
  const refused = await admin.post('/staff', { username: 'daumoi-c', displayName: 'C', role: 'unit_contact', units: '' });
  expect(refused.status).toBe(422);
  expect(refused.text).toContain('Tài khoản đầu mối đơn vị cần ít nhất một mã đơn vị.');
  const bad = await admin.post('/staff', { username: 'daumoi-c', displayName: 'C', role: 'unit_contact', units: 'SYT; <b>' });
  expect(bad.status).toBe(422);
  expect(bad.text).toContain('Mã đơn vị gồm chữ, số');
});

test('two contacts send overlapping lists; the frame merges them with the procedures export, per unit and source', async () => {
  await admin.get(`/campaigns/${campaignId}/sampling`);
  expect((await send(admin, `/campaigns/${campaignId}/frame`, smallFrameCsv(UNITS), 'thu-tuc.csv')).status).toBe(303);
  await settled(admin, `/campaigns/${campaignId}/sampling`);

  const a = contacts.a.browser;
  const home = await a.get('/lists');
  expect(home.status).toBe(200);
  expect(home.text).toContain('Đơn vị SYT');
  expect(home.text).not.toContain('Đơn vị SXD');
  // Contact a: two businesses the procedures data named for SYT (one with a larger count), two new ones.
  const listA = [header, row(procedureCode(0, 0), 'SYT', 9), row(procedureCode(0, 1), 'SYT'), row(SHARED_NEW, 'SYT'), row('2000000002', 'SYT')].join('\n');
  expect((await send(a, `/lists/${campaignId}`, listA, 'so-y-te.csv')).status).toBe(303);
  await settled(a, '/lists');

  // Contact b names a unit that is not its own and writes "procedure": both rows refused by row and column, nothing imported yet.
  const b = contacts.b.browser;
  await b.get('/lists');
  const listB = [header, row(procedureCode(1, 0), 'SXD'), row(SHARED_NEW, 'SXD'), row('2000000003', 'SXD'), row('2000000004', 'SYT'), row('2000000005', 'SXD', 1, 'procedure')].join('\n');
  expect((await send(b, `/lists/${campaignId}`, listB, 'so-xay-dung.csv')).status).toBe(303);
  const pageB = await settled(b, '/lists');
  expect(pageB.text).toMatch(/<td>5<\/td><td><code>unit_code<\/code><\/td><td>Đơn vị “SYT” không phải đơn vị của bạn \(của bạn: SXD\)\.<\/td>/);
  expect(pageB.text).toMatch(/<td>6<\/td><td><code>source<\/code><\/td><td>Danh sách của đơn vị luôn thuộc nguồn/);
  expect(pageB.text).not.toContain('so-y-te.csv'); // another contact's list is not shown
  const accept = pageB.text.match(/action="(\/lists\/[^"]+\/accept)"/)![1]!;
  // Contact a can neither read nor accept contact b's import.
  expect((await a.post(accept)).status).toBe(404);
  expect((await a.get(accept.replace('/accept', '/errors.csv'))).status).toBe(404);
  expect((await b.get(accept.replace('/accept', '/errors.csv'))).text.split('\r\n').filter(Boolean)).toHaveLength(3);
  expect((await b.post(accept)).status).toBe(303);

  const sampling = await settled(admin, `/campaigns/${campaignId}/sampling`);
  // [total, procedures only, own list only, both]
  expect(sourcesOnPage(sampling.text)).toEqual({ SYT: ['8', '4', '2', '2'], SXD: ['8', '5', '2', '1'], STP: ['6', '6', '0', '0'] });
  expect(sampling.text).toContain('Đã nhập khung mẫu: 21 doanh nghiệp, 22 cặp doanh nghiệp – đơn vị.');
  const [merged] = await t.database.db.query.frameDealings.findMany({ where: (d, { eq, and }) => and(eq(d.campaignId, campaignId), eq(d.taxCode, procedureCode(0, 0)), eq(d.unitCode, 'SYT')) });
  // The procedures data said 1, the unit's list 9: the same dealings, the larger count.
  expect(merged).toMatchObject({ dealings: 9, sources: 'procedure,unit_list' });
  const [business] = await t.database.db.query.frameBusinesses.findMany({ where: (x, { eq, and }) => and(eq(x.campaignId, campaignId), eq(x.taxCode, procedureCode(0, 0))) });
  expect(business!.name).toBe('Công ty 0-0'); // the procedures export's details win over a unit's list
});

test('a contact sending again replaces its own list only; the administrator sending again keeps the units’ lists', async () => {
  const a = contacts.a.browser;
  await a.get('/lists');
  expect((await send(a, `/lists/${campaignId}`, [header, row(procedureCode(0, 1), 'SYT')].join('\n'), 'so-y-te-v2.csv')).status).toBe(303);
  await settled(a, '/lists');
  let sampling = await settled(admin, `/campaigns/${campaignId}/sampling`);
  expect(sourcesOnPage(sampling.text)).toEqual({ SYT: ['6', '5', '0', '1'], SXD: ['8', '5', '2', '1'], STP: ['6', '6', '0', '0'] });
  // SHARED_NEW stays (b's list still names it for SXD); 2000000002 is gone with a's first list.
  expect(sampling.text).toContain('Đã nhập khung mẫu: 20 doanh nghiệp, 20 cặp doanh nghiệp – đơn vị.');

  expect((await send(admin, `/campaigns/${campaignId}/frame`, smallFrameCsv(UNITS, 5), 'thu-tuc-v2.csv')).status).toBe(303);
  sampling = await settled(admin, `/campaigns/${campaignId}/sampling`);
  // Five procedure businesses a unit now; b's overlap (SXD b=0) and a's (SYT b=1) are still both sources.
  expect(sourcesOnPage(sampling.text)).toEqual({ SYT: ['5', '4', '0', '1'], SXD: ['7', '4', '2', '1'], STP: ['5', '5', '0', '0'] });
});

test('frozen: the transparency page shows each unit’s shares; the merged file re-draws the same sample', async () => {
  expect((await admin.post(`/campaigns/${campaignId}/frame/freeze`)).status).toBe(303);
  const listPage = await contacts.a.browser.get('/lists');
  expect(listPage.text).toContain('Khung mẫu đã chốt; danh sách không thay đổi được nữa.');
  expect(listPage.text).not.toContain('type="file"');

  const transparency = await new Browser(t.app).get(`/campaigns/${campaignId}/transparency`);
  // [total, procedures only, own list only, both] as shares
  expect(sourcesOnPage(transparency.text)).toEqual({ SYT: ['5', '80%', '0%', '20%'], SXD: ['7', '57,1%', '28,6%', '14,3%'], STP: ['5', '100%', '0%', '0%'] });

  const file = await admin.get(`/campaigns/${campaignId}/frame.csv`);
  expect(file.status).toBe(200);
  const frameFile = path.join(mkdtempSync(path.join(tmpdir(), 'ddci-merged-')), 'khung-mau.csv');
  writeFileSync(frameFile, file.text);
  for (const step of [
    await saveDesign(t.db, adminName, campaignId, { ...DEFAULT_DESIGN, minPerUnit: 2, maxPerUnit: 3, bySizeBand: false }),
    await commitSeed(t.db, adminName, campaignId, { seed: 'hạt giống' }),
    await drawCampaignSample(t.db, adminName, campaignId),
  ]) expect(step.ok).toBe(true);
  const report = await verifySample(t.db, { campaignId, frameFile, seed: 'hạt giống' });
  expect(report.lines.filter((l) => l.startsWith('✗'))).toEqual([]);
  expect(report.ok).toBe(true);
});

test('a unit contact gets 403 on every staff route outside its lists (every route the app registers)', async () => {
  const { browser } = await loggedIn(t.app, t.db, 'unit_contact');
  const anonymous = new Browser(t.app);
  await anonymous.get('/login');
  const own = (route: string) => route === '/lists' || route.startsWith('/lists/') || route === '/account/password' || route === '/logout';
  const concrete = (route: string) => route.replace(/:id\b/, campaignId).replace(/:(\w+)/g, 'x');
  const checked: string[] = [];
  const wrong: string[] = [];
  for (const method of ['get', 'post'] as const) {
    for (const route of appRoutes(t.app, method)) {
      if (own(route) || route.includes('*')) continue;
      const url = concrete(route);
      const stranger = method === 'get' ? await anonymous.agent.get(url) : await anonymous.post(url);
      // Staff only: the login page for a visitor, or forbidden.
      const staffOnly = stranger.status === 403 || (stranger.status === 303 && String(stranger.headers.location).startsWith('/login'));
      if (!staffOnly) continue;
      const res = method === 'get' ? await browser.agent.get(url) : await browser.post(url);
      checked.push(`${method} ${route}`);
      if (res.status !== 403) wrong.push(`${method.toUpperCase()} ${route}: ${res.status}`);
    }
  }
  expect(wrong).toEqual([]);
  expect(checked.length).toBeGreaterThan(60);
  // The forbidden page says who may open it.
  const page = await browser.get(`/campaigns/${campaignId}/sampling`);
  expect(page.text).toContain('Trang này dành cho: <strong>Quản trị khảo sát</strong>.');
  expect(page.text).toContain('Bạn đang đăng nhập với vai trò <strong>Đầu mối đơn vị</strong>.');
});
