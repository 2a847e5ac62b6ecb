import { seedDemoIfEmpty } from '../../server/demo/seed.js';
import { Browser, startTestApp, type TestApp } from '../support/app.js';
import { ROLES } from '../../server/auth/policy.js';
import { verifyAuditLog } from '../../server/audit/index.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

test('the demo seeds a province, ~20 departments, ~10 districts, a 3-of-5 committee and every role, once', async () => {
  const seeded = await seedDemoIfEmpty(t.db, t.config.dataDir);
  expect(seeded).not.toBeNull();
  const { readFileSync } = await import('node:fs');
  const frame = readFileSync(seeded!.frameFile, 'utf8').split('\n');
  expect(frame[0]).toBe('tax_code,name,address,district,sector,size_band,email,phone,unit_code,dealings,source');
  expect(frame.filter(Boolean)).toHaveLength(6001);
  expect(new Set(seeded!.accounts.map((a) => a.role))).toEqual(new Set(ROLES));
  expect(seeded!.accounts.filter((a) => a.role === 'member' || a.role === 'chair')).toHaveLength(5);
  const units = await t.database.db.query.units.findMany();
  const departments = units.filter((u) => u.kind === 'department').length;
  const districts = units.filter((u) => u.kind === 'district').length;
  expect(departments).toBeGreaterThanOrEqual(18);
  expect(districts).toBeGreaterThanOrEqual(9);
  expect(await seedDemoIfEmpty(t.db, t.config.dataDir)).toBeNull();
  expect((await verifyAuditLog(t.db)).ok).toBe(true);

  // The printed one-time password works exactly once: it must be changed at first login.
  const admin = seeded!.accounts.find((a) => a.role === 'admin')!;
  const browser = new Browser(t.app);
  const login = await browser.login(admin.username, admin.oneTimePassword);
  expect(login.headers.location).toBe('/account/password');
  const page = await browser.get('/account/password');
  expect(page.text).toContain('Đây là mật khẩu dùng một lần.');
  await browser.post('/account/password', { current: admin.oneTimePassword, next: 'quan tri tinh lang son', confirm: 'quan tri tinh lang son' });
  const campaign = await browser.get(`/campaigns/${seeded!.campaignId}`);
  expect(campaign.status).toBe(200);
  expect(campaign.text).toContain('Huyện Hữu Lũng');
  expect(campaign.text).toContain('3 trong 5 thành viên cần đồng ý để mở niêm phong.');
});
