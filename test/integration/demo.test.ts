import { readFileSync } from 'node:fs';
import { seedDemoIfEmpty, type SeededDemo } from '../../server/demo/seed.js';
import { transition } from '../../server/campaigns/index.js';
import { findStaffByUsername } from '../../server/auth/queries.js';
import { createLogger } from '../../server/logger.js';
import { createKeysForMember } from '../../server/sealing/index.js';
import { Browser, startTestApp, TEST_PASSPHRASE, type TestApp } from '../support/app.js';
import { answerUnit, startSurvey } from '../support/survey.js';
import { ROLES } from '../../server/auth/policy.js';
import { verifyAuditLog } from '../../server/audit/index.js';

let t: TestApp;
let seeded: SeededDemo | null;
beforeAll(async () => {
  t = await startTestApp();
  seeded = await seedDemoIfEmpty(t.db, { dataDir: t.config.dataDir, hmacSecret: t.config.hmacSecret, logger: createLogger('silent') });
}, 120_000);
afterAll(() => t.close());

test('the demo seeds a province, ~20 departments, ~10 districts, a 3-of-5 committee and every role, once', async () => {
  expect(seeded).not.toBeNull();
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
  expect(await seedDemoIfEmpty(t.db, { dataDir: t.config.dataDir, hmacSecret: t.config.hmacSecret, logger: createLogger('silent') })).toBeNull();
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

test('the demo campaign is sampled with invitations and its access codes are in a file; once the committee has keys, fieldwork opens the survey', async () => {
  const lines = readFileSync(seeded!.codesFile, 'utf8').trim().split('\n');
  expect(lines[0]).toBe('code,units');
  expect(lines).toHaveLength(seeded!.invitations + 1);
  expect(seeded!.invitations).toBeGreaterThan(500);
  const [code, units] = lines[1]!.split(',') as [string, string];
  expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);

  const early = new Browser(t.app);
  await startSurvey(early, code);
  expect((await early.get('/survey/units')).text).toContain('Đợt khảo sát chưa mở');

  for (const account of seeded!.accounts.filter((a) => a.role === 'chair' || a.role === 'member')) {
    const staff = (await findStaffByUsername(t.db, account.username))!;
    expect((await createKeysForMember(t.db, { ...staff, role: account.role }, TEST_PASSPHRASE)).ok).toBe(true);
  }
  const admin = (await findStaffByUsername(t.db, 'quantri'))!;
  expect((await transition(t.db, { ...admin, role: 'admin' }, seeded!.campaignId, 'fieldwork')).ok).toBe(true);
  const unit = units.split(' ')[0]!;
  const { res } = await answerUnit(early, unit);
  expect(res.status).toBe(303);
}, 120_000);
