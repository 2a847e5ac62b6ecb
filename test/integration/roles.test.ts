import request from 'supertest';
import { ROLES, type Role } from '../../server/auth/policy.js';
import { createCampaign } from '../../server/campaigns/index.js';
import { Browser, loggedIn, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let campaignId: string;
const browsers = {} as Record<Role, Browser>;

beforeAll(async () => {
  t = await startTestApp();
  const created = await createCampaign(t.db, 'test', { province: 'Lạng Sơn', year: 2026, title: 'DDCI 2026' });
  if (!created.ok) throw new Error('setup');
  campaignId = created.value;
  for (const role of ROLES) browsers[role] = (await loggedIn(t.app, t.db, role)).browser;
});
afterAll(() => t.close());

/** docs/design.md §2, as routes: which roles get the page; every other role gets 403. */
const STAFF_OF_CAMPAIGNS = ROLES.filter((r) => r !== 'unit_contact');
const pages: { path: () => string; allowed: readonly Role[] }[] = [
  { path: () => '/campaigns', allowed: STAFF_OF_CAMPAIGNS },
  { path: () => `/campaigns/${campaignId}`, allowed: STAFF_OF_CAMPAIGNS },
  { path: () => '/lists', allowed: ['unit_contact'] },
  { path: () => '/staff', allowed: ['admin'] },
  { path: () => '/audit', allowed: ['observer'] },
  { path: () => '/account/password', allowed: ROLES },
  { path: () => '/design', allowed: ['admin', 'member', 'chair', 'observer'] },
  { path: () => '/design/methodology/2026.3', allowed: ['admin', 'member', 'chair', 'observer'] },
];

const actions: { path: () => string; fields: Record<string, string>; allowed: readonly Role[]; okStatus: number }[] = [
  { path: () => '/staff', fields: { username: 'new-user', displayName: 'New', role: 'observer' }, allowed: ['admin'], okStatus: 200 },
  { path: () => `/campaigns/${campaignId}/units`, fields: { code: 'SYT', block: 'provincial', nameVi: 'Sở Y tế', nameEn: 'Department of Health' }, allowed: ['admin'], okStatus: 303 },
  { path: () => `/campaigns/${campaignId}/committee`, fields: { size: '5', threshold: '3' }, allowed: ['admin'], okStatus: 303 },
  { path: () => '/campaigns', fields: { province: 'Cao Bằng', year: '2026', title: 'DDCI Cao Bằng' }, allowed: ['admin'], okStatus: 303 },
  { path: () => '/design/start', fields: { from: 'methodology:2026.3', version: '2040.1' }, allowed: ['admin'], okStatus: 303 },
  { path: () => '/design/methodology/2026.3/approve', fields: { passphrase: 'x' }, allowed: ['chair'], okStatus: 409 },
];

describe('role permissions through HTTP', () => {
  test.each(ROLES)('%s reaches exactly the pages docs/design.md §2 gives it', async (role) => {
    for (const page of pages) {
      const res = await browsers[role].get(page.path());
      expect({ role, path: page.path(), status: res.status }).toEqual({
        role,
        path: page.path(),
        status: page.allowed.includes(role) ? 200 : 403,
      });
    }
  });

  test('forbidden pages answer 403 in the visitor’s language, both languages available', async () => {
    const vi = await browsers.enumerator.get('/staff');
    expect(vi.status).toBe(403);
    expect(vi.text).toContain('Bạn không có quyền truy cập trang này.');
    // It says who may open it, the visitor's own role, and how to get there.
    expect(vi.text).toContain('Trang này dành cho: <strong>Quản trị khảo sát</strong>.');
    expect(vi.text).toContain('Bạn đang đăng nhập với vai trò <strong>Điều tra viên</strong>.');
    expect(vi.text).toContain('hãy đề nghị quản trị khảo sát cấp tài khoản');
    const en = await browsers.enumerator.get('/staff?lang=en');
    expect(en.text).toContain('You may not open this page.');
    expect(en.text).toContain('This page is for: <strong>Survey administrator</strong>.');
  });

  test.each(ROLES)('%s may change only what its role allows', async (role) => {
    for (const action of actions) {
      const res = await browsers[role].post(action.path(), action.fields);
      const allowed = action.allowed.includes(role);
      expect({ role, path: action.path(), status: res.status }).toEqual({
        role,
        path: action.path(),
        status: allowed ? action.okStatus : 403,
      });
    }
  });

  test('anonymous visitors are sent to the login page, or refused on posts', async () => {
    for (const path of ['/campaigns', '/staff', '/audit', `/campaigns/${campaignId}`]) {
      const res = await request(t.app).get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login?next=' + encodeURIComponent(path));
    }
    const anonymous = new Browser(t.app);
    expect((await anonymous.post('/campaigns', { province: 'A', year: 2026, title: 'B' })).status).toBe(403);
    expect((await anonymous.post(`/campaigns/${campaignId}/transition`, { to: 'sampling' })).status).toBe(403);
  });

  test('the navigation shows each role only its own links', async () => {
    const nav = async (role: Role) => (await browsers[role].get('/campaigns')).text;
    expect(await nav('admin')).toContain('href="/staff"');
    expect(await nav('admin')).not.toContain('href="/audit"');
    expect(await nav('observer')).toContain('href="/audit"');
    expect(await nav('observer')).not.toContain('href="/staff"');
  });
});
