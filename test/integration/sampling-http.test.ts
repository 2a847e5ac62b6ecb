import { connect } from 'node:net';
import ExcelJS from 'exceljs';
import { addUnit, createCampaign, setCommittee, setCommitteeMembers } from '../../server/campaigns/index.js';
import { transition } from '../../server/workflow/index.js';
import { accessCodeFor, codeHash, formatCode } from '../../server/sampling/access-codes.js';
import { Browser, createAccount, loggedIn, startTestApp, type TestApp } from '../support/app.js';
import { blockOf } from '../support/fieldwork.js';
import { smallFrameCsv, testCodeKeys } from '../support/sampling.js';
import { startSmtp, type Received } from '../support/smtp.js';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let received: Received[];
let admin: Browser;
let adminName: string;

beforeAll(async () => {
  smtp = await startSmtp();
  received = smtp.received;
  t = await startTestApp({ SMTP_URL: smtp.url, EMAIL_MIN_INTERVAL_HOURS: '0', PUBLIC_URL: 'https://ddci.langson.gov.vn' });
  const login = await loggedIn(t.app, t.db, 'admin');
  admin = login.browser;
  adminName = login.username;
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

async function campaignInSampling(province: string, unitCodes: string[]): Promise<string> {
  const created = await createCampaign(t.db, adminName, { province, year: 2026, title: `DDCI ${province}` });
  if (!created.ok) throw new Error('campaign');
  for (const code of unitCodes) await addUnit(t.db, adminName, created.value, { code, block: blockOf(code), nameVi: `Đơn vị ${code}`, nameEn: `Unit ${code}` });
  await setCommittee(t.db, adminName, created.value, { size: 2, threshold: 2 });
  const chair = await createAccount(t.db, 'chair');
  const member = await createAccount(t.db, 'member');
  await setCommitteeMembers(t.db, adminName, created.value, [chair.username, member.username]);
  const moved = await transition(t.db, { id: 'x', username: adminName, displayName: 'A', role: 'admin', mustChangePassword: false, unitCodes: [] }, created.value, 'sampling');
  if (!moved.ok) throw new Error('sampling');
  return created.value;
}

function upload(id: string, content: Buffer | string, fileName: string) {
  return admin.agent
    .post(`/campaigns/${id}/frame?_csrf=${encodeURIComponent(admin.currentToken()!)}`)
    .attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), fileName);
}

/** The upload is checked in the background: follow the page until it has finished. */
async function waitForImport(id: string) {
  for (let i = 0; i < 100; i++) {
    const page = await admin.get(`/campaigns/${id}/sampling`);
    if (!page.text.includes('http-equiv="refresh"')) return page;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('import did not finish');
}

/** E-mails go out in the background: follow the invitations page until the sending has finished. */
async function waitForMail(id: string) {
  for (let i = 0; i < 200; i++) {
    const page = await admin.get(`/campaigns/${id}/invitations`);
    if (!page.text.includes('http-equiv="refresh"')) return page;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('sending did not finish');
}

const tables = async (id: string) => ({
  businesses: (await t.database.db.query.frameBusinesses.findMany({ where: (b, { eq }) => eq(b.campaignId, id) })).length,
  dealings: (await t.database.db.query.frameDealings.findMany({ where: (d, { eq }) => eq(d.campaignId, id) })).length,
});

describe('frame import', () => {
  test('a file with bad rows imports nothing and reports every bad row; the admin may then import the valid rows', async () => {
    const id = await campaignInSampling('Cao Bằng', ['SXD', 'HBS']);
    await admin.get(`/campaigns/${id}/sampling`);
    const csv = [
      'mst,ten,dia_chi,huyen,nganh,quy_mo,email,dien_thoai,ma_don_vi,so_lan,nguon',
      '0101234567,Công ty A,"1 Lê Lợi",TPCB,Xây dựng,nhỏ,a@example.vn,0912345678,SXD,2,tthc',
      '010123456,Công ty B,"2 Lê Lợi",TPCB,Xây dựng,small,b@example.vn,0912345679,SXD,1,procedure',
      '0101234568,Công ty C,"3 Lê Lợi",TPCB,Xây dựng,giant,not-an-email,0912345670,XYZ,0,procedure',
      '0101234569-001,Chi nhánh D,"4 Lê Lợi",TPCB,Thương mại,large,,,HBS,,danh_sach',
    ].join('\n');
    const res = await upload(id, csv, 'khung-mau.csv');
    expect(res.status).toBe(303);
    const page = await waitForImport(id);
    expect(page.text).toContain('4 dòng: 2 hợp lệ, 2 lỗi.');
    expect(page.text).toContain('Tệp có dòng lỗi nên chưa nhập gì.');
    expect(page.text).toMatch(/<td>3<\/td><td><code>tax_code<\/code><\/td><td>Mã số thuế phải có 10 chữ số/);
    for (const column of ['size_band', 'email', 'unit_code', 'dealings']) expect(page.text).toMatch(new RegExp(`<td>4</td><td><code>${column}</code>`));
    expect(await tables(id)).toEqual({ businesses: 0, dealings: 0 });

    const report = await admin.get(page.text.match(/href="(\/campaigns\/[^"]+errors\.csv)"/)![1]!);
    expect(report.text.split('\r\n').filter(Boolean)).toHaveLength(1 + 5);
    expect(report.text).toContain('"A tax code has 10 digits');
    expect(report.headers['cache-control']).toBe('no-store'); // tax codes and names: kept by no browser or proxy

    const accepted = await admin.post(page.text.match(/action="(\/campaigns\/[^"]+\/accept)"/)![1]!);
    expect(accepted.status).toBe(303);
    expect(await tables(id)).toEqual({ businesses: 2, dealings: 2 });
  });

  test('duplicates are merged and the report says how; an XLSX file with a numeric tax code works too', async () => {
    const id = await campaignInSampling('Bắc Kạn', ['SXD', 'SYT']);
    await admin.get(`/campaigns/${id}/sampling`);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Khung mẫu');
    sheet.addRow(['tax_code', 'name', 'address', 'district', 'sector', 'size_band', 'email', 'phone', 'unit_code', 'dealings', 'source']);
    sheet.addRow([101234567, 'Công ty A', '1 Lê Lợi', 'BK', 'XD', 'small', 'a@example.vn', '0912345678', 'SXD', 2, 'procedure']); // Excel dropped the leading 0
    sheet.addRow(['0101234567', 'Công ty A (tên mới)', '1 Lê Lợi', 'BK', 'XD', 'small', 'a@example.vn', '0912345678', 'SXD', 3, 'unit_list']);
    sheet.addRow(['0101234567', 'Công ty A (tên mới)', '1 Lê Lợi', 'BK', 'XD', 'small', 'a@example.vn', '0912345678', 'SYT', 1, 'procedure']);
    sheet.addRow(['0207654321', 'Công ty B', '2 Lê Lợi', 'BK', 'TM', 'micro', '', '', 'SYT', 4, 'procedure']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    expect((await upload(id, xlsx, 'khung-mau.xlsx')).status).toBe(303);
    const page = await waitForImport(id);
    expect(page.text).toContain('Đã nhập khung mẫu: 2 doanh nghiệp, 3 cặp doanh nghiệp – đơn vị.');
    expect(page.text).toContain('Gộp trùng lặp: 1 cặp doanh nghiệp – đơn vị xuất hiện trên nhiều dòng (1 dòng thừa)');
    expect(page.text).toContain('1 doanh nghiệp có thông tin khác nhau giữa các dòng');
    const [a] = await t.database.db.query.frameBusinesses.findMany({ where: (b, { eq, and }) => and(eq(b.campaignId, id), eq(b.taxCode, '0101234567')) });
    expect(a!.name).toBe('Công ty A (tên mới)');
    const [merged] = await t.database.db.query.frameDealings.findMany({ where: (d, { eq, and }) => and(eq(d.campaignId, id), eq(d.taxCode, '0101234567'), eq(d.unitCode, 'SXD')) });
    // Rows of one source add up; the procedures system and the unit's list describe the same dealings, so the larger count is kept.
    expect(merged).toMatchObject({ dealings: 3, sources: 'procedure,unit_list' });
  });

  test('a wrong file type or missing columns are refused with a clear message', async () => {
    const id = await campaignInSampling('Hà Giang', ['SXD']);
    await admin.get(`/campaigns/${id}/sampling`);
    const pdf = await upload(id, 'not a frame', 'frame.pdf');
    expect(pdf.status).toBe(409);
    expect(pdf.text).toContain('Chỉ nhận tệp .csv hoặc .xlsx.');
    await upload(id, 'name,address\nCông ty A,1 Lê Lợi\n', 'frame.csv');
    const page = await waitForImport(id);
    expect(page.text).toContain('Thiếu cột: tax_code, unit_code');
  });
});

describe('upload size', () => {
  /** Sends only the headers of a large multipart upload and reads the answer: the body is never sent. */
  async function declareUpload(path: string, bytes: number): Promise<{ status: number; body: string }> {
    const server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    const cookie = (admin.agent as unknown as { jar: { getCookies(a: unknown): { toValueString(): string }[] } }).jar
      .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script_only: false })
      .map((c) => c.toValueString())
      .join('; ');
    try {
      const socket = connect(port, '127.0.0.1');
      socket.write(
        [`POST ${path}?_csrf=${encodeURIComponent(admin.currentToken()!)} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Content-Type: multipart/form-data; boundary=x', `Content-Length: ${bytes}`, `Cookie: ${cookie}`, 'Accept: text/html', '', ''].join('\r\n'),
      );
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
      await new Promise((resolve) => socket.on('close', resolve)); // the server answers and closes without waiting for the body
      return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]), body: answer };
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }

  test('a frame or units file past its limit is refused from its declared length, before it is read, with the limit named', async () => {
    const id = await campaignInSampling('Hà Tĩnh', ['SXD']);
    await admin.get(`/campaigns/${id}/sampling`);
    const frame = await declareUpload(`/campaigns/${id}/frame`, t.config.uploadMaxBytes + 10 * 2 ** 20);
    expect(frame.status).toBe(413);
    expect(frame.body).toContain('Tệp gửi lên lớn hơn giới hạn 256 MB nên chưa được nhận');
    const units = await declareUpload(`/campaigns/${id}/units/import`, 5 * 2 ** 20);
    expect(units.status).toBe(413);
    expect(units.body).toContain('giới hạn 1 MB');
    expect(await t.database.db.query.frameImports.findMany({ where: (f, { eq }) => eq(f.campaignId, id) })).toEqual([]);
  });

  test('a units file that grows past the limit without declaring it is refused with the same message', async () => {
    const id = await campaignInSampling('Hà Nam', ['SXD']);
    await admin.get(`/campaigns/${id}`);
    const big = 'code,block,name_vi,name_en\n' + 'SXX,provincial,Một đơn vị rất dài,A long unit\n'.repeat(30_000);
    const res = await admin.agent
      .post(`/campaigns/${id}/units/import?_csrf=${encodeURIComponent(admin.currentToken()!)}`)
      .attach('file', Buffer.from(big, 'utf8'), 'units.csv');
    expect(res.status).toBe(413);
    expect(res.text).toContain('giới hạn 1 MB');
  });
});

describe('one import at a time', () => {
  test('a second frame import of a campaign is refused while the first is running', async () => {
    const { startFrameImport } = await import('../../server/sampling/frame-import.js');
    const { createLogger } = await import('../../server/logger.js');
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const id = await campaignInSampling('Điện Biên', ['SXD']);
    const dir = mkdtempSync(path.join(tmpdir(), 'ddci-two-'));
    // The first file is large enough (20,000 rows, seconds to import) to be still running when the
    // second arrives a few milliseconds later; with 50 rows it sometimes finished first on PostgreSQL.
    const upload = (name: string, rows = 50) => {
      const file = path.join(dir, name);
      writeFileSync(file, smallFrameCsv(['SXD'], rows));
      return startFrameImport(t.db, createLogger('silent'), adminName, id, { path: file, name, size: 1 });
    };
    const first = await upload('a.csv', 20_000);
    const second = await upload('b.csv');
    expect(first.ok).toBe(true);
    expect(second).toEqual({ ok: false, error: { key: 'frame.busy' } });
    if (first.ok) await first.value.done;
    const third = await upload('c.csv');
    expect(third.ok).toBe(true);
    if (third.ok) await third.value.done;
  });
});

describe('design, draw, invitations', () => {
  let id: string;
  const units = ['SXD', 'SYT', 'HBS'];

  beforeAll(async () => {
    id = await campaignInSampling('Lạng Sơn', units);
    await admin.get(`/campaigns/${id}/sampling`);
    await upload(id, smallFrameCsv(units, 20), 'frame.csv');
    await waitForImport(id);
  });

  test('freeze, then the allocation table is shown before the draw', async () => {
    expect((await admin.post(`/campaigns/${id}/design`, { marginOfError: 10, confidence: 95, responseRate: 50, minPerUnit: 5, maxPerUnit: 12, allocation: 'proportional', reserveRatio: 0.5 })).status).toBe(409);
    expect((await admin.post(`/campaigns/${id}/frame/freeze`)).status).toBe(303);
    const frozen = await admin.get(`/campaigns/${id}/sampling`);
    expect(frozen.text).toMatch(/Khung mẫu đã chốt lúc .*Mã băm: [0-9a-f]{64}/);

    const bad = await admin.post(`/campaigns/${id}/design`, { marginOfError: 0, confidence: 97, responseRate: 50, minPerUnit: 5, maxPerUnit: 12, allocation: 'proportional', reserveRatio: 0.5 });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Không được nhỏ hơn 1.');
    const saved = await admin.post(`/campaigns/${id}/design`, { marginOfError: 10, confidence: 95, responseRate: 50, minPerUnit: 5, maxPerUnit: 12, allocation: 'proportional', reserveRatio: 0.5, bySizeBand: '1' });
    expect(saved.status).toBe(303);
    const page = await admin.get(`/campaigns/${id}/sampling`);
    // N = 20: 1.96²·¼/0.1² = 96.04 → 96.04/(1 + 95.04/20) = 16.7 → 17 completes / 0.5 = 34 → max 12
    expect(page.text).toMatch(/<td><code>SXD<\/code><\/td><td class="num">20<\/td><td class="num">12<\/td><td class="num">6<\/td>/);
  });

  test('the seed is committed publicly before the draw and revealed after it', async () => {
    const committed = await admin.post(`/campaigns/${id}/seed`, { seed: '', publicSource: 'Giải đặc biệt xổ số kiến thiết miền Bắc ngày 01/12/2026' });
    expect(committed.status).toBe(303);
    const before = await new Browser(t.app).get(`/campaigns/${id}/transparency`);
    const commitment = before.text.match(/<code class="hash">([0-9a-f]{64})<\/code>/g)!;
    expect(commitment).toHaveLength(2); // frame hash and seed commitment; no seed yet
    expect(before.text).not.toContain('Hạt giống (công bố sau khi rút)');

    const noValue = await admin.post(`/campaigns/${id}/draw`, {});
    expect(noValue.text).toContain('hãy nhập giá trị đó');
    expect((await admin.post(`/campaigns/${id}/draw`, { publicValue: '58231' })).status).toBe(303);
    const after = await new Browser(t.app).get(`/campaigns/${id}/transparency`);
    expect(after.text).toContain('Hạt giống (công bố sau khi rút)');
    expect(after.text).toContain('58231');
    expect((await admin.post(`/campaigns/${id}/draw`, { publicValue: '58231' })).text).toContain('Mẫu đã được rút; không thể rút lại.');
  });

  test('one invitation per business; codes appear on letters and in the CSV but never in the database', async () => {
    expect((await admin.post(`/campaigns/${id}/invitations`)).status).toBe(303);
    const rows = await t.database.db.query.invitations.findMany({ where: (i, { eq }) => eq(i.campaignId, id) });
    const sampled = await t.database.db.query.sampleEntries.findMany({ where: (e, { eq, and }) => and(eq(e.campaignId, id), eq(e.role, 'sample')) });
    expect(rows).toHaveLength(new Set(sampled.map((e) => e.taxCode)).size);
    const download = await admin.get(`/campaigns/${id}/invitations.csv`);
    expect(download.headers['cache-control']).toBe('no-store');
    const csv = download.text;
    // A frame's text never runs as a spreadsheet formula.
    for (const line of csv.split('\r\n').slice(1)) for (const cell of line.split(',')) expect(cell).not.toMatch(/^"?[=+@]/);
    const codes = [...csv.matchAll(/,([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}),https:\/\/ddci\.langson\.gov\.vn\/survey\?code=\1/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(rows.length);
    expect(new Set(codes).size).toBe(codes.length);
    const stored = JSON.stringify(await t.database.db.query.invitations.findMany()) + JSON.stringify(await t.database.db.query.auditLog.findMany());
    for (const code of codes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replace(/-/g, ''));
    }
    for (const row of rows) expect(row.codeHash).toBe(codeHash(testCodeKeys, accessCodeFor(testCodeKeys, row.id)));

    const letters = await admin.get(`/campaigns/${id}/invitations/letters?page=0`);
    expect(letters.text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(letters.text).toContain(codes[0]!);
    expect((letters.text.match(/<svg/g) ?? []).length).toBe(rows.length);
    expect(letters.headers['cache-control']).toBe('no-store');
    // Who revealed how many codes, and how — never a code.
    const revealed = await t.database.db.query.auditLog.findMany({ where: (a, { eq }) => eq(a.action, 'invitations.codes_revealed') });
    expect(revealed.map((r) => r.details)).toEqual([
      { via: 'mail-merge', codes: rows.length },
      { via: 'letters', page: 1, codes: rows.length },
    ]);
    expect(revealed.every((r) => r.actor === revealed[0]!.actor)).toBe(true);
    const log = JSON.stringify(revealed);
    for (const code of codes) expect(log).not.toContain(code);
  });

  test('invitation e-mails go out over SMTP, then reminders only to those not done', async () => {
    received.length = 0;
    const sent = await admin.post(`/campaigns/${id}/invitations/emails`, { mode: 'invite' });
    expect(sent.status).toBe(303);
    const finished = await waitForMail(id);
    expect(finished.text).toMatch(/Đã gửi \d+ e-mail; bỏ qua 0/);
    const invitations = await t.database.db.query.invitations.findMany({ where: (i, { eq }) => eq(i.campaignId, id) });
    expect(received).toHaveLength(invitations.length);
    expect(received[0]!.body).toContain('Mã truy cập:');
    expect(received[0]!.to).toMatch(/@example\.vn$/);

    // One business answers every unit it was invited for.
    const done = invitations[0]!;
    await t.database.db.update((await import('../../server/db/schema.js')).invitationUnits).set({ status: 'answered' }).where((await import('drizzle-orm')).eq((await import('../../server/db/schema.js')).invitationUnits.invitationId, done.id));
    received.length = 0;
    await admin.post(`/campaigns/${id}/invitations/emails`, { mode: 'remind' });
    await waitForMail(id);
    expect(received).toHaveLength(invitations.length - 1);
    const doneEmail = (await t.database.db.query.frameBusinesses.findMany({ where: (b, { eq, and }) => and(eq(b.campaignId, id), eq(b.taxCode, done.taxCode)) }))[0]!.email;
    expect(received.map((r) => r.to)).not.toContain(doneEmail);
    expect(received[0]!.body).toContain('chưa hoàn thành');

    // Two clicks must not mail everyone twice: a second sending waits for the first.
    const { startMailRun } = await import('../../server/invitations/service.js');
    const { createMailer } = await import('../../server/invitations/mailer.js');
    const { createLogger } = await import('../../server/logger.js');
    const mailer = createMailer(t.config.smtpUrl, t.config.mailFrom)!;
    const policy = { publicUrl: t.config.publicUrl, minIntervalHours: 0, maxPerInvitation: 10 };
    const first = await startMailRun(t.db, mailer, testCodeKeys, createLogger('silent'), policy, adminName, id, 'remind');
    const second = await startMailRun(t.db, mailer, testCodeKeys, createLogger('silent'), policy, adminName, id, 'remind');
    expect(second).toEqual({ ok: false, error: { key: 'invitations.mailBusy' } });
    if (first.ok) expect((await first.value.done).sent).toBe(invitations.length - 1);
    mailer.close();
  });

  test('a business is replaced by the next reserve of its stratum, audited', async () => {
    const [entry] = await t.database.db.query.sampleEntries.findMany({ where: (e, { eq, and }) => and(eq(e.campaignId, id), eq(e.unitCode, 'SYT'), eq(e.role, 'sample')) });
    const reserves = await t.database.db.query.sampleEntries.findMany({
      where: (e, { eq, and }) => and(eq(e.campaignId, id), eq(e.unitCode, 'SYT'), eq(e.sizeBand, entry!.sizeBand), eq(e.role, 'reserve')),
      orderBy: (e, { asc }) => [asc(e.position)],
    });
    const res = await admin.post(`/campaigns/${id}/invitations/replace`, { taxCode: entry!.taxCode, unitCode: 'SYT', reason: 'closed' });
    expect(res.status).toBe(303);
    const page = await admin.get(`/campaigns/${id}/invitations`);
    expect(page.text).toContain(`Đã thay ${entry!.taxCode} bằng ${reserves[0]!.taxCode} (dự phòng số ${reserves[0]!.position}) cho đơn vị SYT.`);
    const again = await admin.post(`/campaigns/${id}/invitations/replace`, { taxCode: entry!.taxCode, unitCode: 'SYT', reason: 'closed' });
    expect(again.text).toContain('Không tìm thấy lời mời chưa trả lời của doanh nghiệp này cho đơn vị này.');
    const audit = await t.database.db.query.auditLog.findMany({ where: (a, { eq }) => eq(a.action, 'invitations.replaced'), orderBy: (a, { asc }) => [asc(a.seq)] });
    expect(audit.at(-1)!.details).toMatchObject({ replaced: entry!.taxCode, by: reserves[0]!.taxCode, reason: 'closed' });
  });

  test('a business is found by tax code or name with its status per unit; its letter reprinted alone, audited; batches say what they hold', async () => {
    const page = await admin.get(`/campaigns/${id}/invitations`);
    expect(page.text).toMatch(/Thư 1–\d+ \(MST \d{10} → \d{10}\)/);
    const [invitation] = await t.database.db.query.invitations.findMany({ where: (i, { eq }) => eq(i.campaignId, id), orderBy: (i, { asc }) => [asc(i.taxCode)] });
    const business = (await t.database.db.query.frameBusinesses.findMany({ where: (b, { eq, and }) => and(eq(b.campaignId, id), eq(b.taxCode, invitation!.taxCode)) }))[0]!;
    for (const term of [invitation!.taxCode.slice(0, 8), business.name.toLocaleUpperCase('vi-VN')]) {
      const found = await admin.get(`/campaigns/${id}/invitations?q=${encodeURIComponent(term)}`);
      expect(found.text).toContain(`<td>${invitation!.taxCode}</td>`);
      expect(found.text).toMatch(/chưa trả lời|đã trả lời|đã được thay/);
      expect(found.text).toContain(`/invitations/letters?invitation=${invitation!.id}`);
    }
    expect((await admin.get(`/campaigns/${id}/invitations?q=${encodeURIComponent('%')}`)).text).toContain('Không có doanh nghiệp nào được mời khớp với “%”.');

    const reprint = await admin.get(`/campaigns/${id}/invitations/letters?invitation=${invitation!.id}`);
    expect(reprint.headers['cache-control']).toBe('no-store');
    expect((reprint.text.match(/class="letter"/g) ?? []).length).toBe(1);
    expect(reprint.text).toContain(formatCode(accessCodeFor(testCodeKeys, invitation!.id)));
    const audit = await t.database.db.query.auditLog.findMany({ where: (a, { eq }) => eq(a.action, 'invitations.codes_revealed'), orderBy: (a, { asc }) => [asc(a.seq)] });
    expect(audit.at(-1)).toMatchObject({ subject: invitation!.taxCode, details: { via: 'reprint', codes: 1 } });
    expect((await admin.get(`/campaigns/${id}/invitations/letters?invitation=nobody`)).status).toBe(404);
    // Without settings, the usual signature and "Nơi nhận"; with them, the deadline, hotline, signer and recipients.
    expect(reprint.text).toContain('TM. ỦY BAN NHÂN DÂN<br>KT. CHỦ TỊCH<br>PHÓ CHỦ TỊCH<br>');
    expect(reprint.text).toContain('- Lưu: VT.<br>');
    expect(reprint.text).not.toContain('trước ngày');
    const bad = await admin.post(`/campaigns/${id}/letter`, { deadline: '20/12/2026' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Ngày không hợp lệ.');
    const saved = await admin.post(`/campaigns/${id}/letter`, {
      deadline: '2026-12-20',
      hotline: '0205 3 812 345',
      signerTitle: 'KT. CHỦ TỊCH\r\nPHÓ CHỦ TỊCH',
      signerName: 'Nguyễn Văn An',
      recipients: '- Như trên;\r\n- Sở Tài chính;\r\n- Lưu: VT, KT.',
    });
    expect(saved.status).toBe(303);
    const signed = (await admin.get(`/campaigns/${id}/invitations/letters?invitation=${invitation!.id}`)).text;
    expect(signed).toContain('trả lời phiếu khảo sát <strong>trước ngày 20/12/2026</strong>');
    expect(signed).toContain('đường dây nóng hỗ trợ doanh nghiệp: <strong>0205 3 812 345</strong>');
    expect(signed).toContain('<strong>KT. CHỦ TỊCH<br>PHÓ CHỦ TỊCH<br></strong>');
    expect(signed).toContain('<p class="signer">Nguyễn Văn An</p>');
    expect(signed).toContain('- Như trên;<br>- Sở Tài chính;<br>- Lưu: VT, KT.<br>');
  });

  test('the dashboard shows counts per unit, to the admin and the observer only', async () => {
    const page = await admin.get(`/campaigns/${id}/responses`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Chỉ hiển thị số lượng');
    // Per block, by name, with totals and the outlook against the ranking minimum (one business has answered).
    expect(page.text).toMatch(/<td>Đơn vị SXD <span class="muted">\(SXD\)<\/span><\/td><td class="num">\d+<\/td><td class="num">\d+<\/td>/);
    expect(page.text).toContain('<h2>Sở, ban, ngành tỉnh</h2>');
    expect(page.text).toMatch(/Đã nhận \d+ phiếu trên \d+ lượt mời/);
    expect(page.text).toContain('có nguy cơ không đủ 10 phiếu để được xếp hạng');
    expect(page.text).toContain(`href="/campaigns/${id}/invitations#reminders"`);
    expect(page.text).toContain('/assets/vendor/chart.umd.min.js');
    expect((await (await loggedIn(t.app, t.db, 'observer')).browser.get(`/campaigns/${id}/responses`)).status).toBe(200);
    for (const role of ['enumerator', 'member', 'chair'] as const) {
      expect((await (await loggedIn(t.app, t.db, role)).browser.get(`/campaigns/${id}/responses`)).status).toBe(403);
    }
    const observer = (await loggedIn(t.app, t.db, 'observer')).browser;
    expect((await observer.get(`/campaigns/${id}/sampling`)).status).toBe(403);
    expect((await observer.get(`/campaigns/${id}/invitations.csv`)).status).toBe(403);
    expect(formatCode('ABCDEFGHJKLM')).toBe('ABCD-EFGH-JKLM');
  });
});
