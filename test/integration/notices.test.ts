import { eq } from 'drizzle-orm';
import { addUnit, createCampaign, setCommittee } from '../../server/campaigns/index.js';
import { staffUsers } from '../../server/db/schema.js';
import { Browser, createAccount, loggedIn, startTestApp, TEST_PASSPHRASE, TEST_PASSWORD, type TestApp } from '../support/app.js';
import { campaignInFieldwork } from '../support/fieldwork.js';
import { untilSettled } from '../support/pages.js';
import { startSmtp, type Received } from '../support/smtp.js';

/** E-mail notices to staff: who must act, on what, with the link — sent after the change, over real SMTP. */
let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let received: Received[];

beforeAll(async () => {
  smtp = await startSmtp();
  received = smtp.received;
  t = await startTestApp({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://ddci.langson.gov.vn' });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

async function mailsTo(addresses: string[], subject: string) {
  for (let i = 0; i < 100 && received.filter((r) => r.body.includes(subject)).length < addresses.length; i++) await new Promise((r) => setTimeout(r, 50));
  return received.filter((r) => r.body.includes(subject)).map((r) => r.to).sort();
}

test('an account can carry an e-mail address; a wrong one is refused', async () => {
  const { browser: admin } = await loggedIn(t.app, t.db, 'admin');
  const bad = await admin.post('/staff', { username: 'thanhvien-moi', displayName: 'Trần Thị Mai', role: 'member', email: 'không phải e-mail' });
  expect(bad.status).toBe(422);
  expect(bad.text).toContain('Địa chỉ e-mail không hợp lệ.');
  expect((await admin.post('/staff', { username: 'thanhvien-moi', displayName: 'Trần Thị Mai', role: 'member', email: 'mai@langson.gov.vn' })).status).toBe(200);
  expect((await admin.get('/staff')).text).toContain('<span class="muted">mai@langson.gov.vn</span>');
});

test('the committee is told by e-mail: members without keys when chosen, everyone at close, everyone when the sealed results are ready', async () => {
  // Chosen for a committee: only the member who has no keys yet is asked to create them.
  const { browser: admin, username: adminName } = await loggedIn(t.app, t.db, 'admin');
  const withKeys = await createAccount(t.db, 'chair');
  const withoutKeys = await createAccount(t.db, 'member', undefined, { withKeys: false });
  for (const [m, email] of [[withKeys, 'chutich@langson.gov.vn'], [withoutKeys, 'thanhvien@langson.gov.vn']] as const) {
    await t.db.update(staffUsers).set({ email }).where(eq(staffUsers.username, m.username));
  }
  const created = await createCampaign(t.db, adminName, { province: 'Bắc Kạn', year: 2026, title: 'DDCI Bắc Kạn 2026' });
  if (!created.ok) throw new Error('campaign');
  await addUnit(t.db, adminName, created.value, { code: 'SXD', block: 'provincial', nameVi: 'Sở Xây dựng', nameEn: 'Construction' });
  await setCommittee(t.db, adminName, created.value, { size: 2, threshold: 2 });
  await admin.get(`/campaigns/${created.value}`);
  expect((await admin.post(`/campaigns/${created.value}/committee/members`, { members: [withKeys.username, withoutKeys.username] })).status).toBe(303);
  expect(await mailsTo(['thanhvien@langson.gov.vn'], 'tạo khóa cá nhân (với cụm mật khẩu')).toEqual(['thanhvien@langson.gov.vn']);
  const keysMail = received.find((r) => r.body.includes('tạo khóa cá nhân (với cụm mật khẩu'))!.body;
  expect(keysMail).toContain('https://ddci.langson.gov.vn/committee/keys');
  expect(keysMail).toContain('DDCI Bắc Kạn 2026');

  // A campaign in fieldwork: closing tells every member with an address that approvals are needed.
  const fw = await campaignInFieldwork(t.db, 'Cao Bằng', ['SXD', 'STC']);
  const addresses = fw.members.map((m, i) => `hoidong${i}@caobang.gov.vn`);
  for (const [i, m] of fw.members.entries()) await t.db.update(staffUsers).set({ email: addresses[i] }).where(eq(staffUsers.id, m.id));
  const closer = new Browser(t.app);
  await closer.login(fw.admin.username, TEST_PASSWORD);
  expect((await closer.post(`/campaigns/${fw.campaignId}/transition`, { to: 'closed', confirm: 'yes' })).status).toBe(303);
  expect(await mailsTo(addresses, 'đã kết thúc thu thập phiếu')).toEqual([...addresses].sort());
  expect(received.find((r) => r.body.includes('đã kết thúc thu thập phiếu'))!.body).toContain(`https://ddci.langson.gov.vn/campaigns/${fw.campaignId}/unseal`);

  // Two approve and run: when the results are sealed, every member hears where to read them.
  const members = await Promise.all(
    fw.members.slice(0, 2).map(async (m) => {
      const browser = new Browser(t.app);
      await browser.login(m.username, TEST_PASSWORD);
      await browser.post(`/campaigns/${fw.campaignId}/unseal`, { passphrase: TEST_PASSPHRASE });
      return browser;
    }),
  );
  expect((await members[1]!.post(`/campaigns/${fw.campaignId}/unseal/run`)).status).toBe(303);
  expect((await untilSettled(members[1]!, `/campaigns/${fw.campaignId}/unseal`)).text).toContain('Kết quả đã được tính và niêm phong cho Hội đồng.');
  expect(await mailsTo(addresses, 'đã được tính và niêm phong cho Hội đồng. Thành viên')).toEqual([...addresses].sort());
  // Nothing sealed or secret travels by e-mail: no score, no passphrase, no share.
  for (const mail of received) expect(mail.body).not.toContain(TEST_PASSPHRASE);
}, 120_000);
