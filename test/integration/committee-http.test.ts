import { addUnit, createCampaign, setCommittee, setCommitteeMembers } from '../../server/campaigns/index.js';
import { transition } from '../../server/workflow/index.js';
import { Browser, createAccount, loggedIn, startTestApp, TEST_PASSPHRASE, TEST_PASSWORD, type TestApp } from '../support/app.js';
import { campaignInFieldwork } from '../support/fieldwork.js';
import { completeSampling } from '../support/sampling.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('committee member keys over HTTP', () => {
  test('first login sends a member to create keys; the fingerprint is shown; the passphrase is never stored', async () => {
    const { username, password } = await createAccount(t.db, 'member', 'thanhvien-moi', { withKeys: false });
    const browser = new Browser(t.app);
    await browser.login(username, password);
    const gated = await browser.get('/campaigns');
    expect(gated.status).toBe(303);
    expect(gated.headers.location).toBe('/committee/keys');
    const form = await browser.get('/committee/keys');
    expect(form.text).toContain('Không ai — kể cả quản trị viên — khôi phục được cụm mật khẩu này.');

    const mismatch = await browser.post('/committee/keys', { passphrase: 'cum mat khau thu nhat', confirm: 'cum mat khau thu hai' });
    expect(mismatch.status).toBe(422);
    expect(mismatch.text).toContain('Hai lần nhập cụm mật khẩu không khớp.');
    const short = await browser.post('/committee/keys', { passphrase: 'ngan', confirm: 'ngan' });
    expect(short.text).toContain('Ít nhất 12 ký tự.');
    expect(await t.database.db.query.memberKeys.findMany()).toEqual([]);

    const passphrase = 'mot cum mat khau that dai va rieng';
    const created = await browser.post('/committee/keys', { passphrase, confirm: passphrase });
    expect(created.status).toBe(200);
    const fingerprint = /<code>([0-9A-F]{4}(?: [0-9A-F]{4}){15})<\/code>/.exec(created.text)![1];
    expect(fingerprint).toBeDefined();
    expect((await browser.get('/campaigns')).status).toBe(200);

    const [stored] = await t.database.db.query.memberKeys.findMany();
    expect(stored!.fingerprint).toBe(fingerprint);
    expect(stored!.encryptionPrivatePem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(JSON.parse(stored!.kdf)).toMatchObject({ stretch: { algorithm: 'argon2id', memoryKiB: 65536 } });
    const everything = JSON.stringify(await t.database.db.query.memberKeys.findMany()) + JSON.stringify(await t.database.db.query.auditLog.findMany());
    expect(everything).not.toContain(passphrase);

    const again = await browser.post('/committee/keys', { passphrase: 'another long passphrase', confirm: 'another long passphrase' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('Bạn đã có khóa cá nhân; không thể tạo lại.');
  });

  test('members approve unsealing with the passphrase once the campaign is closed', async () => {
    const admin = await createAccount(t.db, 'admin');
    const chair = await createAccount(t.db, 'chair');
    const m1 = await createAccount(t.db, 'member');
    const m2 = await createAccount(t.db, 'member');
    const created = await createCampaign(t.db, admin.username, { province: 'Quảng Ninh', year: 2026, title: 'DDCI Quảng Ninh' });
    const id = created.ok ? created.value : '';
    await addUnit(t.db, admin.username, id, { code: 'SCT', block: 'provincial', nameVi: 'Sở Công Thương', nameEn: 'Industry and Trade' });
    await setCommittee(t.db, admin.username, id, { size: 3, threshold: 2 });
    await setCommitteeMembers(t.db, admin.username, id, [chair.username, m1.username, m2.username]);
    await transition(t.db, admin.principal, id, 'sampling');
    await completeSampling(t.db, admin.username, id);
    expect(await transition(t.db, admin.principal, id, 'fieldwork')).toMatchObject({ ok: true });

    const chairBrowser = new Browser(t.app);
    await chairBrowser.login(chair.username, chair.password);
    const campaignPage = await chairBrowser.get(`/campaigns/${id}`);
    expect(campaignPage.text).toMatch(/Dấu vân tay khóa công khai của đợt khảo sát: <code class="fingerprint">[0-9A-F ]{79}<\/code>/);
    const early = await chairBrowser.post(`/campaigns/${id}/unseal`, { passphrase: TEST_PASSPHRASE });
    expect(early.status).toBe(409);
    expect(early.text).toContain('Chỉ mở niêm phong được khi đợt khảo sát đã đóng.');

    await transition(t.db, admin.principal, id, 'closed', { mixKey: t.mixKey });
    const wrong = await chairBrowser.post(`/campaigns/${id}/unseal`, { passphrase: 'sai cum mat khau roi' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Cụm mật khẩu không đúng.');
    const approved = await chairBrowser.post(`/campaigns/${id}/unseal`, { passphrase: TEST_PASSPHRASE });
    expect(approved.status).toBe(200);
    expect(approved.text).toContain('Đã ghi nhận sự đồng ý: 1/2 thành viên cần thiết.');

    const { browser: outsider } = await loggedIn(t.app, t.db, 'member');
    const refused = await outsider.post(`/campaigns/${id}/unseal`, { passphrase: TEST_PASSPHRASE });
    expect(refused.text).toContain('Bạn không giữ mảnh khóa của đợt khảo sát này.');

    const { browser: adminBrowser } = await loggedIn(t.app, t.db, 'admin');
    expect((await adminBrowser.post(`/campaigns/${id}/unseal`, { passphrase: TEST_PASSPHRASE })).status).toBe(403);
    expect((await adminBrowser.get('/committee/keys')).status).toBe(403);

    const audit = await t.database.db.query.auditLog.findMany({ where: (a, { eq }) => eq(a.campaignId, id) });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['sealing.key_ceremony', 'sealing.approval_refused', 'sealing.approved']),
    );
    expect(JSON.stringify(audit)).not.toContain(TEST_PASSPHRASE);
  });
});

test('200 wrong passphrases at once at an approval: exactly the limit are answered (and checked), every other one 429', async () => {
  const limited = await startTestApp({ LOGIN_RATE_LIMIT: '10' });
  try {
    const fw = await campaignInFieldwork(limited.db, 'Giới hạn', ['SXD'], { perUnit: 2 });
    expect(await transition(limited.db, fw.admin, fw.campaignId, 'closed', { mixKey: limited.mixKey })).toMatchObject({ ok: true });
    const member = new Browser(limited.app);
    expect((await member.login(fw.members[1]!.username, TEST_PASSWORD)).status).toBe(303);
    await member.get(`/campaigns/${fw.campaignId}/unseal`);
    const attempts = await Promise.all(Array.from({ length: 200 }, (_, i) => member.post(`/campaigns/${fw.campaignId}/unseal`, { passphrase: `sai cum mat khau ${i}` })));
    const statuses = attempts.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(190);
    const refused = await limited.database.db.query.auditLog.findMany({ where: (a, { and, eq }) => and(eq(a.campaignId, fw.campaignId), eq(a.action, 'sealing.approval_refused')) });
    expect(refused).toHaveLength(10); // only the answered attempts did the argon2id work
  } finally {
    await limited.close();
  }
}, 300_000);
