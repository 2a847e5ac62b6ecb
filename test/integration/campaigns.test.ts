import { STATES } from '../../server/campaigns/lifecycle.js';
import { Browser, createAccount, loggedIn, startTestApp, type TestApp } from '../support/app.js';
import { completeSampling } from '../support/sampling.js';

let t: TestApp;
let admin: Browser;
let chair: Browser;
let member: Browser;
let committee: string[];

beforeAll(async () => {
  t = await startTestApp();
  admin = (await loggedIn(t.app, t.db, 'admin')).browser;
  const chairLogin = await loggedIn(t.app, t.db, 'chair');
  const memberLogin = await loggedIn(t.app, t.db, 'member');
  chair = chairLogin.browser;
  member = memberLogin.browser;
  committee = [chairLogin.username, memberLogin.username, (await createAccount(t.db, 'member')).username];
});
afterAll(() => t.close());

const campaignRows = () => t.database.db.query.campaigns.findMany();
const unitRows = (campaignId: string) => t.database.db.query.units.findMany({ where: (u, { eq }) => eq(u.campaignId, campaignId) });
const auditCount = async () => (await t.database.db.query.auditLog.findMany()).length;

async function newCampaign(province: string, year = 2026): Promise<string> {
  const res = await admin.post('/campaigns', { province, year, title: `DDCI ${province} ${year}` });
  expect(res.status).toBe(303);
  return res.headers.location!.split('/').pop()!;
}

async function chooseCommittee(campaignId: string, usernames: string[]) {
  const res = await admin.agent
    .post(`/campaigns/${campaignId}/committee/members`)
    .type('form')
    .send(`_csrf=${admin.currentToken()}&${usernames.map((u) => `members=${u}`).join('&')}`);
  expect(res.status).toBe(303);
}

function csvUpload(browser: Browser, campaignId: string, csv: string) {
  return browser.agent
    .post(`/campaigns/${campaignId}/units/import?_csrf=${encodeURIComponent(browser.currentToken()!)}`)
    .attach('file', Buffer.from(csv, 'utf8'), { filename: 'units.csv', contentType: 'text/csv' });
}

describe('campaigns', () => {
  test('create, then a duplicate province-year and an overlong title are refused with specific messages and change nothing', async () => {
    await newCampaign('Bắc Giang');
    const before = await campaignRows();
    const auditBefore = await auditCount();

    const duplicate = await admin.post('/campaigns', { province: 'Bắc Giang', year: 2026, title: 'Again' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.text).toContain('Tỉnh Bắc Giang đã có đợt khảo sát năm 2026.');

    const overlong = await admin.post('/campaigns', { province: 'Hà Giang', year: 2026, title: 'x'.repeat(201) });
    expect(overlong.status).toBe(422);
    expect(overlong.text).toContain('Tối đa 200 ký tự.');
    expect(overlong.text).toContain('value="Hà Giang"'); // what was typed is kept

    const badYear = await admin.post('/campaigns', { province: 'Hà Giang', year: 'next', title: 'T' });
    expect(badYear.text).toContain('Phải là số nguyên.');

    expect(await campaignRows()).toEqual(before);
    expect(await auditCount()).toBe(auditBefore);
  });

  test('units by form: added, duplicate code refused, bad code explained', async () => {
    const id = await newCampaign('Cao Bằng');
    const added = await admin.post(`/campaigns/${id}/units`, { code: 'SKHDT', block: 'provincial', nameVi: 'Sở Kế hoạch và Đầu tư', nameEn: 'Department of Planning and Investment' });
    expect(added.status).toBe(303);
    const page = await admin.get(`/campaigns/${id}`);
    expect(page.text).toContain('Đã thêm đơn vị SKHDT.');
    expect(page.text).toContain('Sở Kế hoạch và Đầu tư');

    const duplicate = await admin.post(`/campaigns/${id}/units`, { code: 'SKHDT', block: 'commune', nameVi: 'Khác', nameEn: 'Other' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.text).toContain('Mã đơn vị “SKHDT” đã có trong đợt khảo sát này.');

    const badCode = await admin.post(`/campaigns/${id}/units?lang=en`, { code: 'bad code!', block: 'commune', nameVi: 'Xã A', nameEn: 'A' });
    expect(badCode.status).toBe(422);
    expect(badCode.text).toContain('Capital letters, digits, “-” or “_”, at most 32 characters.');
    await admin.get('/?lang=vi');
    expect(await unitRows(id)).toHaveLength(1);
  });

  test('CSV import is all or nothing and reports every bad row', async () => {
    const id = await newCampaign('Thái Nguyên');
    await admin.get(`/campaigns/${id}`);
    const bad = await csvUpload(
      admin,
      id,
      'code,block,name_vi,name_en\nSTC,provincial,Sở Tài chính,Department of Finance\nSTC,provincial,Sở Tài chính,Again\nXPB,village,Xã Phú Bình,Phu Binh\n',
    );
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Tệp có 2 lỗi; chưa nhập đơn vị nào.');
    expect(bad.text).toMatch(/<td>3<\/td><td><code>code<\/code><\/td><td>Mã “STC” lặp lại \(đã có ở dòng 2\)\.<\/td>/);
    expect(bad.text).toMatch(/<td>4<\/td><td><code>block<\/code><\/td>/);
    expect(await unitRows(id)).toHaveLength(0);

    const malformed = await csvUpload(admin, id, 'code,block,name_vi,name_en\n"STC,provincial');
    expect(malformed.status).toBe(422);
    expect(malformed.text).toContain('Không đọc được tệp CSV');

    const good = await csvUpload(admin, id, 'code,block,name_vi,name_en\nSTC,provincial,Sở Tài chính,Department of Finance\nXPB,commune,Xã Phú Bình,Phu Binh Commune\n');
    expect(good.status).toBe(303);
    expect(await unitRows(id)).toHaveLength(2);

    const forged = await admin.agent.post(`/campaigns/${id}/units/import`).attach('file', Buffer.from('code,block,name_vi,name_en\nX,commune,X,X'), 'u.csv');
    expect(forged.status).toBe(403);
    expect(await unitRows(id)).toHaveLength(2);
  });

  test('committee: k above n is refused', async () => {
    const id = await newCampaign('Tuyên Quang');
    const res = await admin.post(`/campaigns/${id}/committee`, { size: 3, threshold: 4 });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Cần 2 ≤ k ≤ n ≤ 50.');
    const tooSmall = await admin.post(`/campaigns/${id}/committee`, { size: 5, threshold: 1 });
    expect(tooSmall.status).toBe(422);
    expect(tooSmall.text).toContain('Không được nhỏ hơn 2.');
  });

  test('the lifecycle refuses every illegal move over HTTP, follows the legal ones, and audits them', async () => {
    const id = await newCampaign('Lào Cai');
    const state = async () => (await campaignRows()).find((c) => c.id === id)!.state;
    const move = (browser: Browser, to: string) => browser.post(`/campaigns/${id}/transition`, { to, confirm: 'yes' });

    // The campaign page says what the stage needs and who acts, from the same conditions the move checks.
    const draftPage = await admin.get(`/campaigns/${id}`);
    expect(draftPage.text).toContain('Giai đoạn “Soạn thảo”: việc cần làm');
    expect(draftPage.text).toMatch(/○<\/span> <span class="visually-hidden">Chưa xong:<\/span> Thêm các đơn vị được đánh giá — <strong>Cần ít nhất một đơn vị/);
    expect(draftPage.text).toContain('Bước tiếp theo: chuyển sang “Chọn mẫu”.');
    expect((await admin.get('/')).text).toContain(`<a href="/campaigns/${id}">DDCI Lào Cai 2026</a>: Thêm các đơn vị được đánh giá`);
    const early = await move(admin, 'sampling');
    expect(early.status).toBe(409);
    expect(early.text).toContain('Cần ít nhất một đơn vị được đánh giá trước khi chọn mẫu.');
    await admin.post(`/campaigns/${id}/units`, { code: 'SCT', block: 'provincial', nameVi: 'Sở Công Thương', nameEn: 'Department of Industry and Trade' });
    expect((await move(admin, 'sampling')).text).toContain('Cần cấu hình Hội đồng');
    await admin.post(`/campaigns/${id}/committee`, { size: 3, threshold: 2 });
    expect((await move(admin, 'sampling')).text).toContain('Cần chọn đủ 3 thành viên Hội đồng (đã chọn 0).');
    const tooFew = await admin.agent
      .post(`/campaigns/${id}/committee/members`)
      .type('form')
      .send(`_csrf=${admin.currentToken()}&members=${committee[0]}&members=${committee[1]}`);
    expect(tooFew.text).toContain('Hãy chọn đúng 3 thành viên.');
    const observer = await createAccount(t.db, 'observer');
    const wrongRole = await admin.agent
      .post(`/campaigns/${id}/committee/members`)
      .type('form')
      .send(`_csrf=${admin.currentToken()}&members=${committee[0]}&members=${committee[1]}&members=${observer.username}`);
    expect(wrongRole.text).toContain('Chỉ chọn được tài khoản Thành viên hoặc Chủ tịch Hội đồng đang hoạt động.');
    const chosen = await admin.agent
      .post(`/campaigns/${id}/committee/members`)
      .type('form')
      .send(`_csrf=${admin.currentToken()}&${committee.map((u) => `members=${u}`).join('&')}`);
    expect(chosen.status).toBe(303);

    const path = ['draft', 'sampling', 'fieldwork', 'closed'] as const;
    for (let i = 0; i < path.length; i++) {
      const current = path[i]!;
      // every state other than the next is refused, by every role that might try
      for (const to of STATES) {
        if (to === (path[i + 1] ?? 'unsealed')) continue; // the legal next step, checked below
        for (const browser of [admin, chair, member]) {
          const res = await move(browser, to);
          expect({ from: current, to, status: res.status }).toEqual({ from: current, to, status: 409 });
        }
      }
      expect(await state()).toBe(current);
      if (i + 1 < path.length) {
        if (current === 'sampling') {
          const early = await move(admin, 'fieldwork');
          expect(early.text).toContain('Cần nhập và chốt khung mẫu.');
          await completeSampling(t.db, 'test', id);
        }
        expect((await move(chair, path[i + 1]!)).status).toBe(403); // the chair is not the administration
        const res = await move(admin, path[i + 1]!);
        expect(res.status).toBe(303);
        expect(await state()).toBe(path[i + 1]);
      }
    }
    const unseal = await move(chair, 'unsealed');
    expect(unseal.status).toBe(409);
    expect(unseal.text).toContain('Cần đủ 2 thành viên Hội đồng đồng ý mở niêm phong.');
    expect((await move(admin, 'unsealed')).status).toBe(403);
    expect(await state()).toBe('closed');

    const moves = (await t.database.db.query.auditLog.findMany({ where: (a, { and, eq }) => and(eq(a.campaignId, id), eq(a.action, 'campaign.transition')), orderBy: (a, { asc }) => [asc(a.seq)] })).map((a) => a.details);
    expect(moves).toEqual([
      { from: 'draft', to: 'sampling' },
      { from: 'sampling', to: 'fieldwork' },
      { from: 'fieldwork', to: 'closed' },
    ]);
    const locked = await admin.post(`/campaigns/${id}/units`, { code: 'SXD', block: 'provincial', nameVi: 'Sở Xây dựng', nameEn: 'Construction' });
    expect(locked.status).toBe(409);
    expect(locked.text).toContain('Chỉ sửa được khi đợt khảo sát đang ở giai đoạn “Soạn thảo”.');
  });

  test('fieldwork (the key ceremony) waits until every chosen member has created personal keys', async () => {
    const id = await newCampaign('Sơn La');
    const keyless = await createAccount(t.db, 'member', 'chua-co-khoa', { withKeys: false });
    await admin.post(`/campaigns/${id}/units`, { code: 'SYT', block: 'provincial', nameVi: 'Sở Y tế', nameEn: 'Health' });
    await admin.post(`/campaigns/${id}/committee`, { size: 3, threshold: 2 });
    await chooseCommittee(id, [committee[0]!, committee[1]!, keyless.username]);
    expect((await admin.post(`/campaigns/${id}/transition`, { to: 'sampling' })).status).toBe(303);
    await completeSampling(t.db, 'test', id);
    // The move asks first: the page says what happens and who is not ready, and offers no button yet.
    const asked = await admin.post(`/campaigns/${id}/transition`, { to: 'fieldwork' });
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe(`/campaigns/${id}/open`);
    const page = await admin.get(`/campaigns/${id}/open`);
    expect(page.text).toContain('chia thành 3 phần, mỗi thành viên Hội đồng giữ một phần; cần 2 thành viên đồng ý');
    expect(page.text).toMatch(/✗ Test member chua-co-khoa .*chưa tạo khóa/);
    expect(page.text).toContain('Chưa mở được: mọi thành viên Hội đồng cần tạo khóa trước.');
    expect(page.text).not.toContain('name="confirm" value="yes"');
    const refused = await admin.post(`/campaigns/${id}/transition`, { to: 'fieldwork', confirm: 'yes' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Các thành viên sau chưa tạo khóa cá nhân: Test member chua-co-khoa.');
    expect(await t.database.db.query.campaignKeys.findMany({ where: (k, { eq }) => eq(k.campaignId, id) })).toEqual([]);
  });

  test('two concurrent moves of one campaign move it once', async () => {
    const id = await newCampaign('Yên Bái');
    await admin.post(`/campaigns/${id}/units`, { code: 'SYT', block: 'provincial', nameVi: 'Sở Y tế', nameEn: 'Health' });
    await admin.post(`/campaigns/${id}/committee`, { size: 3, threshold: 2 });
    await chooseCommittee(id, committee);
    const second = (await loggedIn(t.app, t.db, 'admin')).browser;
    await second.get(`/campaigns/${id}`);
    const results = await Promise.all([admin.post(`/campaigns/${id}/transition`, { to: 'sampling' }), second.post(`/campaigns/${id}/transition`, { to: 'sampling' })]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 409]);
    const moves = await t.database.db.query.auditLog.findMany({ where: (a, { and, eq }) => and(eq(a.campaignId, id), eq(a.action, 'campaign.transition')) });
    expect(moves).toHaveLength(1);
  });

  test('new campaign from last year: a draft following it, with its units (same codes), links, committee and methodology; links edited as renames and merges', async () => {
    const id = await newCampaign('Hà Tĩnh', 2025);
    await csvUpload(admin, id, 'code,block,name_vi,name_en\nSTC,provincial,Sở Tài chính,Finance\nSKHDT,provincial,Sở Kế hoạch và Đầu tư,Planning\nXA,commune,Xã A,A Commune\n');
    await admin.post(`/campaigns/${id}/committee`, { size: 3, threshold: 2 });
    await chooseCommittee(id, committee);
    const created = await admin.post(`/campaigns/${id}/follow-up`);
    expect(created.status).toBe(303);
    const next = created.headers.location!.split('/').pop()!;
    const [row] = (await campaignRows()).filter((c) => c.id === next);
    expect(row).toMatchObject({ province: 'Hà Tĩnh', year: 2026, title: 'DDCI Hà Tĩnh 2026', state: 'draft', previousCampaignId: id, committeeSize: 3, committeeThreshold: 2 });
    expect((await unitRows(next)).map((u) => [u.code, u.block]).sort()).toEqual([['SKHDT', 'provincial'], ['STC', 'provincial'], ['XA', 'commune']]);
    const page = await admin.get(`/campaigns/${next}`);
    expect(page.text).toContain('Đã tạo bản nháp đợt khảo sát năm sau.');
    expect(page.text).toContain('Nối tiếp đợt');
    expect(page.text).toContain('STC,STC');
    // Once a year: a second follow-up for the same year is refused.
    expect((await admin.post(`/campaigns/${id}/follow-up`)).status).toBe(409);

    // This year: Planning merged into Finance, the commune renamed.
    const skhdt = (await unitRows(next)).find((u) => u.code === 'SKHDT')!;
    await admin.post(`/campaigns/${next}/units/${skhdt.id}/delete`);
    const xa = (await unitRows(next)).find((u) => u.code === 'XA')!;
    await admin.post(`/campaigns/${next}/units/${xa.id}/delete`);
    await admin.post(`/campaigns/${next}/units`, { code: 'XB', block: 'commune', nameVi: 'Xã B', nameEn: 'B Commune' });
    const bad = await admin.post(`/campaigns/${next}/links`, { links: 'STC,STC\nSTC,SKHDT\nXB,XZ\nNOPE,STC\nXB,XA,extra' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('XZ không phải đơn vị của đợt năm trước.');
    expect(bad.text).toContain('NOPE không phải đơn vị của đợt này.');
    expect(bad.text).toContain('Mỗi dòng có đúng hai cột');
    const saved = await admin.post(`/campaigns/${next}/links`, { links: 'code,previous_code\nSTC,STC\nSTC,SKHDT\nXB,XA\n' });
    expect(saved.status).toBe(303);
    const links = await t.database.db.query.unitLinks.findMany({ where: (l, { eq }) => eq(l.campaignId, next) });
    expect(links.map((l) => `${l.code}<${l.previousCode}`).sort()).toEqual(['STC<SKHDT', 'STC<STC', 'XB<XA']);
  });
});
