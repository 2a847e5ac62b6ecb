import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { transition } from '../../server/workflow/index.js';
import { auditLog, bulletins, dailyAnswerCounts, invitationUnits, pendingResponses, rateLimits, responses } from '../../server/db/schema.js';
import { canonicalJson } from '../../server/scoring/index.js';
import { randomAnswers, seededRandom } from '../../server/responses/simulate.js';
import { Browser, loggedIn, startTestApp, type TestApp } from '../support/app.js';
import { databaseFiles, onServer, queryRows, tableDumps } from '../support/database.js';
import { campaignInFieldwork, type FieldworkCampaign } from '../support/fieldwork.js';
import { answerUnit, formOf, startSurvey } from '../support/survey.js';
import { storedEnvelopes as storedOrPending } from '../support/responses.js';

let t: TestApp;
let fw: FieldworkCampaign;
let next = 0;
const DEPARTMENTS = ['SXD', 'STC', 'SCT', 'SYT', 'STP', 'SNV', 'SKHCN', 'SGDDT', 'SNGV', 'STTTT', 'SLDTBXH', 'SVHTTDL'];

/** A fresh invitation (each test answers with its own businesses). */
const take = () => fw.invitations[next++]!;

const storedEnvelopes = () => storedOrPending(t, fw.campaignId);

const unitStatus = async (invitationId: string, unitCode: string) =>
  (await t.db.select().from(invitationUnits).where(and(eq(invitationUnits.invitationId, invitationId), eq(invitationUnits.unitCode, unitCode))))[0]!.status;

beforeAll(async () => {
  t = await startTestApp({}, { onDisk: true });
  fw = await campaignInFieldwork(t.db, 'Lạng Sơn', [...DEPARTMENTS, 'HCL', 'HLB']);
}, 120_000);
afterAll(() => t.close());

describe('access codes', () => {
  test('the QR link opens the business’s units; a typed code works with or without dashes, in lower case', async () => {
    const invitation = take();
    const qr = new Browser(t.app);
    const opened = await qr.get(`/survey?code=${invitation.code}`);
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe('/survey/units');
    const units = await qr.get('/survey/units');
    expect(units.text).toContain(`Đơn vị ${invitation.units[0]}`);
    expect(units.text).toContain('Chưa trả lời');

    const typed = new Browser(t.app);
    await startSurvey(typed, invitation.code.replace(/-/g, '').toLowerCase());
    expect((await typed.get('/survey/units')).text).toContain(`/survey/units/${invitation.units[0]}`);
  });

  test('a wrong code and a used-up code get the same answer', async () => {
    const invitation = take();
    const browser = new Browser(t.app);
    await startSurvey(browser, invitation.code);
    for (const unit of invitation.units) expect((await answerUnit(browser, unit)).res.status).toBe(303);

    const used = await new Browser(t.app).post('/survey', { code: invitation.code });
    const wrong = await new Browser(t.app).post('/survey', { code: 'ZZZZ-ZZZZ-ZZZZ' });
    expect(used.status).toBe(400);
    expect(wrong.status).toBe(400);
    const problem = (html: string) => /<p class="problem"[^>]*>([^<]+)</.exec(html)?.[1];
    expect(problem(used.text)).toBe(problem(wrong.text));
    expect(problem(used.text)).toContain('Mã truy cập không đúng hoặc đã được dùng');
  });
});

describe('answering', () => {
  test('a valid form is sealed and stored; the receipt is SHA-256 of the stored ciphertext; the invitation keeps only a flag', async () => {
    const invitation = take();
    const unit = invitation.units[0]!;
    const browser = new Browser(t.app);
    await startSurvey(browser, invitation.code);
    const before = (await storedEnvelopes()).length;
    const { res } = await answerUnit(browser, unit);
    expect(res.status).toBe(303);
    const receiptPage = await browser.get(res.headers.location!);
    const receipt = /data-receipt="([0-9a-f]{64})"/.exec(receiptPage.text)![1]!;
    expect(receiptPage.text).toContain('Đã nhận phiếu');
    expect(receiptPage.text).not.toContain('href="/login"'); // respondents need no account
    // The receipt to keep: a text file with the code, and no session needed for it (the code is public).
    const kept = await new Browser(t.app).get(`/survey/receipt/${receipt}.txt`);
    expect(kept.status).toBe(200);
    expect(kept.headers['content-disposition']).toContain('attachment');
    expect(kept.text).toContain(receipt.match(/.{1,8}/g)!.join(' '));
    expect((await new Browser(t.app).get('/survey/receipt/not-a-receipt.txt')).status).toBe(404);

    const stored = await storedEnvelopes();
    expect(stored).toHaveLength(before + 1);
    const mine = stored.filter((r) => createHash('sha256').update(r.envelope).digest('hex') === receipt);
    expect(mine).toHaveLength(1);
    // The row names no unit, questionnaire or mode: they travel inside the envelope (DDCI-ANSWERS/3).
    expect(mine[0]).toMatchObject({ unitCode: null, questionnaire: null, mode: null });
    expect(mine[0]!.id).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(await unitStatus(invitation.id, unit)).toBe('answered');

    // The response row holds exactly these columns: no invitation, no business, no time.
    const columns = await queryRows<{ column_name: string }>(t.db, sql`select column_name from information_schema.columns where table_name = 'responses' order by 1`);
    expect(columns.map((c) => c.column_name)).toEqual(['campaign_id', 'envelope', 'id', 'mode', 'questionnaire', 'unit_code']);
    const day = await t.db.select().from(dailyAnswerCounts).where(eq(dailyAnswerCounts.campaignId, fw.campaignId));
    expect(day.reduce((a, d) => a + d.answers, 0)).toBe(stored.length);

    // Answered units show as done; the form cannot be opened again.
    expect((await browser.get('/survey/units')).text).toContain('Đã trả lời');
    const again = await browser.get(`/survey/units/${unit}`);
    expect(again.status).toBe(409);
    expect(again.text).toContain('đã được trả lời');
  });

  test('a retry of the same form returns the same receipt; a second, different answer is refused', async () => {
    const invitation = take();
    const unit = invitation.units[0]!;
    const browser = new Browser(t.app);
    await startSurvey(browser, invitation.code);
    const first = await answerUnit(browser, unit);
    const receipt = (await browser.get(first.res.headers.location!)).text.match(/data-receipt="([0-9a-f]{64})"/)![1];
    const count = (await storedEnvelopes()).length;

    const retry = await browser.post(`/survey/units/${unit}`, { _nonce: first.nonce, ...first.fields });
    expect(retry.status).toBe(303);
    expect((await browser.get(retry.headers.location!)).text).toContain(`data-receipt="${receipt}"`);

    const other = await browser.post(`/survey/units/${unit}`, { _nonce: 'A'.repeat(22), ...first.fields });
    expect(other.status).toBe(409);
    expect(other.text).toContain('mỗi doanh nghiệp chỉ trả lời một lần cho mỗi đơn vị');
    expect((await storedEnvelopes()).length).toBe(count);
  });

  test('concurrent submits store exactly one answer: of the same form (one receipt) and of different forms', async () => {
    const count = (await storedEnvelopes()).length;
    const same = take();
    const browser = new Browser(t.app);
    await startSurvey(browser, same.code);
    const { nonce, schema } = formOf((await browser.get(`/survey/units/${same.units[0]}`)).text);
    const fields = randomAnswers(schema, seededRandom(99));
    const sameForm = await Promise.all(Array.from({ length: 6 }, () => browser.post(`/survey/units/${same.units[0]}`, { _nonce: nonce, ...fields })));
    expect(sameForm.map((r) => r.status)).toEqual(Array(6).fill(303));
    expect((await storedEnvelopes()).length).toBe(count + 1);

    const other = take();
    const tabs = Array.from({ length: 6 }, () => new Browser(t.app));
    for (const tab of tabs) await startSurvey(tab, other.code);
    const forms = await Promise.all(tabs.map(async (tab) => formOf((await tab.get(`/survey/units/${other.units[0]}`)).text)));
    const posted = await Promise.all(
      tabs.map((tab, i) => tab.post(`/survey/units/${other.units[0]}`, { _nonce: forms[i]!.nonce, ...randomAnswers(forms[i]!.schema, seededRandom(i)) })),
    );
    expect(posted.filter((r) => r.status === 303)).toHaveLength(1);
    expect(posted.filter((r) => r.status === 409)).toHaveLength(5);
    expect((await storedEnvelopes()).length).toBe(count + 2);
  });

  test('invalid answers store nothing, come back with every answer kept and a message beside each wrong field', async () => {
    const invitation = fw.invitations.find((i, n) => n >= next && i.units[0]!.startsWith('H'))!;
    fw.invitations.splice(fw.invitations.indexOf(invitation), 1);
    const unit = invitation.units[0]!;
    const browser = new Browser(t.app);
    await startSurvey(browser, invitation.code);
    const count = (await storedEnvelopes()).length;
    const { res } = await answerUnit(browser, unit, () => ({ A1: '4', A2: '9', B1: '400', G2: ['12', 'DK'], Z1: 'Góp ý giữ lại', S2: ['1', '3'] }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('câu cần sửa hoặc bổ sung');
    const errorOf = (code: string) => new RegExp(`id="e-${code}">([^<]*)<`).exec(res.text)?.[1];
    expect(errorOf('A2')).toBe('Vui lòng chọn một phương án trong danh sách.');
    expect(errorOf('B1')).toBe('Nhập một số từ 0 đến 365, hoặc chọn “Không biết”.');
    // A number and “don't know” together: the message says which two to choose between.
    expect(errorOf('G2')).toBe('Đã có cả một số và “Không biết”: hãy xóa số đã nhập, hoặc bỏ chọn “Không biết”.');
    expect(errorOf('A3')).toBe('Vui lòng trả lời câu hỏi này.');
    expect(errorOf('K1')).toBe('Vui lòng trả lời câu hỏi này.'); // district-only question
    expect(errorOf('A1')).toBe('');
    expect(res.text).toMatch(/name="A1" value="4" checked/);
    expect(res.text).toContain('value="400"');
    expect(res.text).toContain('Góp ý giữ lại');
    expect(res.text).toMatch(/name="S2" value="3" checked/);
    expect((await storedEnvelopes()).length).toBe(count);
    expect(await unitStatus(invitation.id, unit)).toBe('invited');

    const english = await browser.post(`/survey/units/${unit}?lang=en`, { _nonce: formOf(res.text).nonce, A1: '4' });
    expect(english.status).toBe(422);
    expect(english.text).toContain('Please answer this question.');
  });

  test('a plaintext answer appears in no table and in no database file', async () => {
    // The ASCII token carries '#' and '!', which no hex or base64 text has: sealed bytes are dumped as hex,
    // where a token of six hex digits can turn up by chance (it did, in one server run).
    const marker = 'Ý kiến riêng #7f3a9c!: cán bộ phường hạch sách';
    const invitation = take();
    const browser = new Browser(t.app);
    await startSurvey(browser, invitation.code);
    const { res } = await answerUnit(browser, invitation.units[0]!, (schema) => ({ ...randomAnswers(schema, seededRandom(7)), Z1: marker }));
    expect(res.status).toBe(303);
    const needles = [marker, 'cán bộ phường hạch sách', '#7f3a9c!'];
    for (const { table, text } of await tableDumps(t.db)) {
      // As text, and as the hex a bytea column is dumped in (plaintext bytes in a bytea would show only so).
      for (const needle of needles) {
        expect({ table, needle, found: text.includes(needle) || text.includes(Buffer.from(needle).toString('hex')) }).toEqual({ table, needle, found: false });
      }
    }
    if (!onServer) {
      const files = await databaseFiles(t.database);
      expect(files.length).toBeGreaterThan(10);
      for (const { file, bytes } of files) {
        for (const needle of needles) expect({ file, found: bytes.includes(Buffer.from(needle, 'utf8')) }).toEqual({ file, found: false });
      }
    }
  }, 120_000);
});

describe('enumerators', () => {
  test('an enumerator enters a phone answer under the business’s code; the audit log records the act, never the response', async () => {
    const invitation = take();
    const { browser, username } = await loggedIn(t.app, t.db, 'enumerator');
    const entry = await browser.get(`/campaigns/${fw.campaignId}/entry`);
    expect(entry.status).toBe(200);
    const noMode = await browser.post(`/campaigns/${fw.campaignId}/entry`, { code: invitation.code });
    expect(noMode.status).toBe(422);
    const started = await browser.post(`/campaigns/${fw.campaignId}/entry`, { code: invitation.code, mode: 'phone' });
    expect(started.headers.location).toBe('/survey/units');
    expect((await browser.get('/survey/units')).text).toContain('hình thức: Qua điện thoại');
    const { res } = await answerUnit(browser, invitation.units[0]!);
    expect(res.status).toBe(303);
    const receipt = (await browser.get(res.headers.location!)).text.match(/data-receipt="([0-9a-f]{64})"/)![1]!;
    const stored = (await storedEnvelopes()).find((r) => createHash('sha256').update(r.envelope).digest('hex') === receipt);
    expect(stored).toMatchObject({ mode: null }); // the mode is inside the envelope

    const entries = await t.db.select().from(auditLog).where(eq(auditLog.action, 'responses.entered'));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: username, campaignId: fw.campaignId, subject: null, details: { mode: 'phone' } });
    const dump = JSON.stringify(await t.db.select().from(auditLog));
    expect(dump).not.toContain(receipt);
    expect(dump).not.toContain(stored!.id);
    expect(dump).not.toContain(invitation.id);
  });

  test('others may not enter answers; a respondent cannot claim a mode', async () => {
    const { browser } = await loggedIn(t.app, t.db, 'admin');
    expect((await browser.get(`/campaigns/${fw.campaignId}/entry`)).status).toBe(403);
  });
});

describe('a campaign not open yet', () => {
  test('shows a clear message and stores nothing', async () => {
    const early = await campaignInFieldwork(t.db, 'Cao Bằng', ['SXD'], { stopAt: 'sampling' });
    const invitation = early.invitations[0]!;
    const browser = new Browser(t.app);
    await startSurvey(browser, invitation.code);
    const units = await browser.get('/survey/units');
    expect(units.text).toContain('Đợt khảo sát chưa mở');
    expect(units.text).not.toContain(`href="/survey/units/SXD"`);
    const form = await browser.get('/survey/units/SXD');
    expect(form.status).toBe(409);
    const posted = await browser.post('/survey/units/SXD', { _nonce: 'B'.repeat(22), A1: '4' });
    expect(posted.status).toBe(409);
    expect(posted.text).toContain('Đợt khảo sát chưa mở');
    expect(await t.db.select().from(pendingResponses).where(eq(pendingResponses.campaignId, early.campaignId))).toHaveLength(0);
    expect(await unitStatus(invitation.id, 'SXD')).toBe('invited');
  });
});

describe('mixing and closing', () => {
  test('envelopes wait under the mixing layer until close, then move all at once, shuffled, under fresh ids; then nothing more is stored', async () => {
    const before = await storedEnvelopes();
    for (let i = 0; i < 6; i++) {
      const invitation = take();
      const browser = new Browser(t.app);
      await startSurvey(browser, invitation.code);
      expect((await answerUnit(browser, invitation.units[0]!)).res.status).toBe(303);
    }
    // During fieldwork nothing reaches `responses`; a pending row names nothing and holds no envelope in clear.
    expect(await t.db.select().from(responses).where(eq(responses.campaignId, fw.campaignId))).toHaveLength(0);
    const pending = await t.db.select().from(pendingResponses).where(eq(pendingResponses.campaignId, fw.campaignId));
    expect(pending.length).toBe(before.length + 6);
    for (const row of pending) expect(row).toMatchObject({ unitCode: null, questionnaire: null, mode: null, envelope: null });
    const opened = await storedEnvelopes();
    for (const row of pending) expect(opened.some((o) => o.envelope.equals(row.sealed!))).toBe(false);

    const late = take();
    const browser = new Browser(t.app);
    await startSurvey(browser, late.code);
    const { nonce } = formOf((await browser.get(`/survey/units/${late.units[0]}`)).text);
    const closed = await transition(t.db, fw.admin, fw.campaignId, 'closed', { mixKey: t.mixKey });
    expect(closed.ok).toBe(true);
    expect(await t.db.select().from(pendingResponses)).toHaveLength(0);
    const moved = await t.db.select().from(responses).where(eq(responses.campaignId, fw.campaignId));
    expect(moved.map((r) => r.envelope.toString('hex')).sort()).toEqual(opened.map((o) => o.envelope.toString('hex')).sort());
    const pendingIds = new Set(pending.map((p) => p.id));
    expect(moved.filter((r) => pendingIds.has(r.id))).toEqual([]); // fresh ids

    const refused = await browser.post(`/survey/units/${late.units[0]}`, { _nonce: nonce, A1: '4' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Đợt khảo sát đã kết thúc');
    expect(await unitStatus(late.id, late.units[0]!)).toBe('invited');
    expect((await browser.get('/survey/units')).text).toContain('Đợt khảo sát đã kết thúc');
    expect(await t.db.select().from(pendingResponses)).toHaveLength(0);

    // The bulletin: the count per unit and the receipt of every stored ciphertext, hashed, public.
    const stored = await t.db.select().from(responses).where(eq(responses.campaignId, fw.campaignId));
    const [bulletin] = await t.db.select().from(bulletins).where(eq(bulletins.campaignId, fw.campaignId));
    const receipts = stored.map((r) => createHash('sha256').update(r.envelope).digest('hex')).sort();
    expect(bulletin!.content.receipts).toEqual(receipts);
    expect(bulletin!.responses).toBe(stored.length);
    expect(Object.values(bulletin!.content.counts).reduce((a, b) => a + b, 0)).toBe(stored.length);
    expect(bulletin!.hash).toBe(createHash('sha256').update(canonicalJson(bulletin!.content)).digest('hex'));
    const anyone = new Browser(t.app);
    const found = await anyone.get(`/campaigns/${fw.campaignId}/transparency?receipt=${receipts[0]}`);
    expect(found.text).toContain(bulletin!.hash);
    expect(found.text).toContain('nằm trong bảng công bố và sẽ được tính');
    const missing = await anyone.get(`/campaigns/${fw.campaignId}/transparency?receipt=${'0'.repeat(64)}`);
    expect(missing.text).toContain('Không tìm thấy mã biên nhận này');
    const json = await anyone.get(`/campaigns/${fw.campaignId}/bulletin.json`);
    expect(JSON.parse(json.text)).toEqual(bulletin!.content);
  });
});

describe('guessing codes', () => {
  // Every request here comes from one address; each test starts with that address's count at zero.
  beforeEach(() => t.db.delete(rateLimits));

  test('200 wrong codes at once: exactly the limit (10) get an answer, every other one 429', async () => {
    const browser = new Browser(t.app);
    await browser.get('/survey');
    const guesses = await Promise.all(Array.from({ length: 200 }, (_, i) => browser.post('/survey', { code: `ABCD-EFGH-${String(2000 + i).replace(/[01]/g, '7')}` })));
    const statuses = guesses.map((r) => r.status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(190);
  });

  test('a used-up code, entered again and again from one address, gets the wrong-code answer and never locks the address out', async () => {
    const invitation = take();
    // Every unit of it answered (the campaign here is already closed, so the flags are set directly).
    await t.db.update(invitationUnits).set({ status: 'answered' }).where(eq(invitationUnits.invitationId, invitation.id));
    const office = new Browser(t.app);
    await office.get('/survey');
    const wrong = await office.post('/survey', { code: 'ABCD-EFGH-JKLM' });
    for (let i = 0; i < 25; i++) {
      const again = await office.post('/survey', { code: invitation.code });
      expect(again.status).toBe(400);
      expect(again.text).toContain(wrong.text.match(/class="problem"[^>]*>([^<]+)/)![1]);
    }
    expect((await office.post('/survey', { code: take().code })).status).toBe(303); // still let in
  });

  test('code entry is rate limited per client: successes never count, even many at once; after repeated wrong codes even a right one must wait', async () => {
    const browser = new Browser(t.app);
    const code = fw.invitations.at(-1)!.code;
    await browser.get('/survey');
    const together = await Promise.all(Array.from({ length: 15 }, () => browser.post('/survey', { code })));
    expect(together.map((r) => r.status)).toEqual(Array(15).fill(303));

    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await browser.post('/survey', { code: `ABCD-EFGH-JK${String(i).padStart(2, '2')}` })).status);
    expect(statuses).toContain(429);
    expect(statuses.slice(0, statuses.indexOf(429)).every((s) => s === 400)).toBe(true);
    const blocked = await browser.post('/survey', { code });
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Bạn đã thử quá nhiều lần');
  });
});
