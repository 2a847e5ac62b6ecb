import { createServer, type IncomingMessage, type Server } from 'node:http';
import { once } from 'node:events';
import { and, eq } from 'drizzle-orm';
import { auditLog, callNotes, invitations, mailRuns } from '../../server/db/schema.js';
import { Browser, loggedIn, startTestApp, type TestApp } from '../support/app.js';
import { campaignInFieldwork, type FieldworkCampaign } from '../support/fieldwork.js';
import { answerUnit, startSurvey } from '../support/survey.js';

/**
 * Reminders without e-mail (issue 25): printed reminder letters and the enumerators' call list hold exactly
 * the businesses that still have a unit to answer; text messages go through the SMS gateway — here a local
 * stub — one per such business, retried when the gateway fails, logged, never holding up the page.
 */
interface Received {
  to: string;
  text: string;
  authorization?: string;
}
let stub: Server;
const received: Received[] = [];
/** Phones the stub refuses: a number → how many more times (Infinity: always). */
const failing = new Map<string, number>();
const UNITS = ['SXD', 'STC', 'SCT'];
let t: TestApp;
let fw: FieldworkCampaign;
const logs: string[] = [];
let answeredCodes: Set<string>;

const body = async (req: IncomingMessage) => {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text) as { to: string; text: string };
};

beforeAll(async () => {
  stub = createServer(async (req, res) => {
    const message = await body(req);
    received.push({ ...message, authorization: req.headers.authorization });
    const left = failing.get(message.to) ?? 0;
    if (left > 0) {
      failing.set(message.to, left - 1);
      res.writeHead(503).end();
    } else res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"queued"}');
  });
  stub.listen(0, '127.0.0.1');
  await once(stub, 'listening');
  const port = (stub.address() as { port: number }).port;
  t = await startTestApp({ SMS_URL: `http://127.0.0.1:${port}/send`, SMS_TOKEN: 'gateway-token-123' }, { logs });
  fw = await campaignInFieldwork(t.db, 'Nhắc Nhở', UNITS, { perUnit: 4, design: { minPerUnit: 4, maxPerUnit: 4 } });
  // Half the businesses answer — but each unit keeps a business still to answer it, and so do the phones the
  // tests below look for (the sample is drawn afresh each run: a unit whose businesses all answered would
  // leave its letters and calls empty, and which businesses carry which phone changes too).
  const calls = (await (await loggedIn(t.app, t.db, 'enumerator')).browser.get(`/campaigns/${fw.campaignId}/invitations/calls`)).text;
  const phoneOf = new Map([...calls.matchAll(/href="tel:([^"]+)"[\s\S]*?<code>([A-Z0-9-]+)<\/code>/g)].map((m) => [m[2]!, m[1]!]));
  const keptPending = new Set([
    ...UNITS.map((unit) => fw.invitations.find((i) => i.units.includes(unit))!.code),
    ...['0912 000 001', '0912 000 003'].map((phone) => fw.invitations.find((i) => phoneOf.get(i.code) === phone)!.code),
  ]);
  answeredCodes = new Set(fw.invitations.filter((invitation, i) => i % 2 === 0 && !keptPending.has(invitation.code)).map((i) => i.code));
  for (const invitation of fw.invitations.filter((i) => answeredCodes.has(i.code))) {
    const browser = new Browser(t.app);
    await startSurvey(browser, invitation.code);
    for (const unit of invitation.units) expect((await answerUnit(browser, unit)).res.status).toBe(303);
  }
}, 120_000);
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => stub.close(resolve));
});

const pending = () => fw.invitations.filter((i) => !answeredCodes.has(i.code));

test('reminder letters hold exactly the businesses still to answer a unit, in the official layout', async () => {
  const admin = (await loggedIn(t.app, t.db, 'admin')).browser;
  const page = await admin.get(`/campaigns/${fw.campaignId}/invitations/reminders`);
  expect(page.status).toBe(200);
  const printed = new Set([...page.text.matchAll(/class="code">([A-Z0-9-]+)</g)].map((m) => m[1]));
  expect(printed).toEqual(new Set(pending().map((i) => i.code)));
  expect(page.text).toContain('V/v nhắc trả lời phiếu khảo sát');
  expect(page.text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
  // One unit: only its businesses.
  const sxd = await admin.get(`/campaigns/${fw.campaignId}/invitations/reminders?unit=SXD`);
  expect(new Set([...sxd.text.matchAll(/class="code">([A-Z0-9-]+)</g)].map((m) => m[1]))).toEqual(new Set(pending().filter((i) => i.units.includes('SXD')).map((i) => i.code)));
  const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.campaignId, fw.campaignId), eq(auditLog.action, 'invitations.codes_revealed')));
  expect(audit.map((a) => a.details)).toEqual(expect.arrayContaining([{ via: 'reminder-letters', page: 1, codes: pending().length }, { via: 'reminder-letters', page: 1, codes: expect.any(Number), unit: 'SXD' }]));
});

test('the call list: whom to call, the phone from the frame, the units left, a place for the outcome; enumerators and administrators only', async () => {
  const enumerator = (await loggedIn(t.app, t.db, 'enumerator')).browser;
  const page = await enumerator.get(`/campaigns/${fw.campaignId}/invitations/calls`);
  expect(page.status).toBe(200);
  const listed = new Set([...page.text.matchAll(/<code>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<\/code>/g)].map((m) => m[1]));
  expect(listed).toEqual(new Set(pending().map((i) => i.code)));
  expect(page.text).toContain('href="tel:0912 000 001"');
  expect(page.text).toContain('Kết quả cuộc gọi');
  expect(page.text).toContain(`${pending().length} doanh nghiệp còn đơn vị chưa đánh giá.`);
  for (const role of ['observer', 'member'] as const) expect((await (await loggedIn(t.app, t.db, role)).browser.get(`/campaigns/${fw.campaignId}/invitations/calls`)).status).toBe(403);
});

test('a call’s outcome is noted on the list: the day, the outcome, how many calls; no time, no caller, no "answered"', async () => {
  const enumerator = (await loggedIn(t.app, t.db, 'enumerator')).browser;
  const page = await enumerator.get(`/campaigns/${fw.campaignId}/invitations/calls?unit=SXD`);
  const [, id] = /<tr id="call-([^"]+)">/.exec(page.text)!;
  expect(page.text).not.toContain('<option value="answered"');
  const noted = await enumerator.post(`/campaigns/${fw.campaignId}/invitations/calls/${id}`, { outcome: 'later', unit: 'SXD' });
  expect(noted.status).toBe(303);
  expect(noted.headers.location).toBe(`/campaigns/${fw.campaignId}/invitations/calls?unit=SXD#call-${id}`);
  await enumerator.post(`/campaigns/${fw.campaignId}/invitations/calls/${id}`, { outcome: 'noAnswer' });
  const after = await enumerator.get(`/campaigns/${fw.campaignId}/invitations/calls?unit=SXD`);
  const row = after.text.slice(after.text.indexOf(`<tr id="call-${id}">`));
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
  const [year, month, day] = today.split('-');
  expect(row.slice(0, row.indexOf('</tr>'))).toContain(`Lần gọi gần nhất (${day}/${month}/${year}): Không nghe máy — 2 lần gọi`);
  // Stored: the day and the outcome only; the audit says a call was noted, not whose or how.
  const notes = await t.db.select().from(callNotes);
  expect(notes).toEqual([{ invitationId: id, outcome: 'noAnswer', day: today, calls: 2 }]);
  const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.campaignId, fw.campaignId), eq(auditLog.action, 'calls.noted')));
  expect(audit.map((a) => [a.subject, a.details])).toEqual([[null, {}], [null, {}]]);
  // A business that answered everything, an unknown outcome and an observer are refused.
  const everyone = (await enumerator.get(`/campaigns/${fw.campaignId}/invitations/calls`)).text;
  const answeredId = (await t.db.select({ id: invitations.id }).from(invitations)).map((r) => r.id).find((x) => !everyone.includes(`call-${x}"`))!;
  expect((await enumerator.post(`/campaigns/${fw.campaignId}/invitations/calls/${answeredId}`, { outcome: 'later' })).text).toContain('Doanh nghiệp này không còn đơn vị nào chưa đánh giá.');
  expect((await enumerator.post(`/campaigns/${fw.campaignId}/invitations/calls/${id}`, { outcome: 'answered' })).status).toBe(422);
  expect((await (await loggedIn(t.app, t.db, 'observer')).browser.post(`/campaigns/${fw.campaignId}/invitations/calls/${id}`, { outcome: 'later' })).status).toBe(403);
});

test('text messages: one per business still to answer, none to those done; a failing gateway is retried and logged, the page does not wait', async () => {
  const codes = pending().map((i) => i.code);
  expect(codes.length).toBeGreaterThan(2);
  // The frame's phones repeat across units; the stub tells messages apart by the code they carry.
  const codeOf = (text: string) => /Mã truy cập ([A-Z0-9-]+)/.exec(text)?.[1];
  failing.set('0912 000 001', 1); // refused once, then accepted
  failing.set('0912 000 003', Infinity); // never accepted
  const admin = (await loggedIn(t.app, t.db, 'admin')).browser;
  const started = await admin.post(`/campaigns/${fw.campaignId}/invitations/sms`);
  expect(started.status).toBe(303);
  expect((await t.db.select().from(mailRuns).where(eq(mailRuns.campaignId, fw.campaignId)))[0]!.status).toBe('running');
  for (let i = 0; i < 200; i++) {
    const [run] = await t.db.select().from(mailRuns).where(eq(mailRuns.campaignId, fw.campaignId));
    if (run!.status === 'done') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const [run] = await t.db.select().from(mailRuns).where(eq(mailRuns.campaignId, fw.campaignId));
  expect(run).toMatchObject({ status: 'done', mode: 'sms' });
  const everyCode = new Set(received.map((r) => codeOf(r.text)));
  expect(everyCode).toEqual(new Set(pending().map((i) => i.code)));
  for (const code of answeredCodes) expect(everyCode.has(code)).toBe(false);
  // Retried: the number refused once was tried twice; the one never accepted three times, then counted as failed.
  const tries = (phone: string) => received.filter((r) => r.to === phone).length;
  const businessesAt = (phone: string) => new Set(received.filter((r) => r.to === phone).map((r) => codeOf(r.text))).size;
  expect(tries('0912 000 001')).toBe(businessesAt('0912 000 001') + 1);
  expect(tries('0912 000 003')).toBe(3 * businessesAt('0912 000 003'));
  expect(run!.failed).toBe(businessesAt('0912 000 003'));
  expect(run!.sent).toBe(pending().length - run!.failed);
  expect(received.every((r) => r.authorization === 'Bearer gateway-token-123')).toBe(true);
  expect(received[0]!.text).toMatch(/^UBND tỉnh Nhắc Nhở: Quý doanh nghiệp còn 1 đơn vị chưa đánh giá trong khảo sát DDCI 2026\. Mã truy cập [A-Z0-9-]+, trả lời tại http/);
  // Logged with the invitation, never the phone or the code.
  const failures = logs.filter((l) => l.includes('invitation message failed'));
  expect(failures).toHaveLength(businessesAt('0912 000 003'));
  for (const line of failures) {
    expect(line).toContain('"channel":"sms"');
    expect(line).not.toContain('0912');
    for (const code of codes) expect(line).not.toContain(code);
  }
  const before = received.length;
  await admin.post(`/campaigns/${fw.campaignId}/invitations/sms`);
  for (let i = 0; i < 100; i++) {
    const runs = await t.db.select().from(mailRuns).where(eq(mailRuns.campaignId, fw.campaignId));
    if (runs.every((r) => r.status === 'done')) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // A second run right away texts only those the gateway never took (the others were texted just now).
  expect(received.length - before).toBe(3 * businessesAt('0912 000 003'));
}, 60_000);
