import { sql } from 'drizzle-orm';
import { transition } from '../../server/workflow/index.js';
import { Browser, createAccount, startTestApp, type TestApp } from '../support/app.js';
import { queryRows, tableDumps } from '../support/database.js';
import { campaignInFieldwork, type FieldworkCampaign } from '../support/fieldwork.js';
import { answerUnit, startSurvey } from '../support/survey.js';

/**
 * Staff answering in a business's name leaves a trace (issue 21): an online answer sent from a browser
 * signed in to a staff account, or from a network address a staff account signed in from, is counted on
 * the bulletin — counts per campaign, never on the answer. Answers of businesses from their own
 * addresses are not counted.
 */
let t: TestApp;
let fw: FieldworkCampaign;
const STAFF_OFFICE = '10.20.0.5';

beforeAll(async () => {
  t = await startTestApp({ TRUST_PROXY: 'true' });
  fw = await campaignInFieldwork(t.db, 'Dấu vết', ['SXD', 'HCL'], { perUnit: 8, design: { minPerUnit: 8, maxPerUnit: 8 } });
}, 120_000);
afterAll(() => t.close());

const from = (address: string) => {
  const browser = new Browser(t.app);
  browser.agent.set('X-Forwarded-For', address);
  return browser;
};

async function answer(browser: Browser, invitation: { code: string; units: string[] }) {
  await startSurvey(browser, invitation.code);
  expect((await answerUnit(browser, invitation.units[0]!)).res.status).toBe(303);
}

test('answers from a staff browser or a staff address are counted on the bulletin; businesses’ own are not; no answer is marked', async () => {
  // An administrator signs in at the office: that address is the staff's from now on.
  const admin = await createAccount(t.db, 'admin');
  const office = from(STAFF_OFFICE);
  expect((await office.login(admin.username, admin.password)).status).toBe(303);
  const [a, b, c, d, e] = fw.invitations;

  await answer(from('203.0.113.7'), a!); // a business, from its own address
  await answer(from('203.0.113.8'), b!); // another
  await answer(from(STAFF_OFFICE), c!); // someone at the staff's address, not signed in
  await answer(office, d!); // the administrator's own signed-in browser: both signals
  // The administrator's browser from home: a staff session, not a staff address.
  const home = from('198.51.100.20');
  expect((await home.login(admin.username, admin.password)).status).toBe(303);
  await answer(home, e!);

  const signals = await queryRows<{ signal: string; answers: number }>(t.db, sql`select signal, answers from answer_signals where campaign_id = ${fw.campaignId} order by signal`);
  expect(signals).toEqual([
    { signal: 'staff-address', answers: 2 },
    { signal: 'staff-session', answers: 2 },
  ]);
  // The address itself is stored nowhere (only its keyed hash), and the counts name no invitation.
  for (const { text } of await tableDumps(t.db)) expect(text).not.toContain(STAFF_OFFICE);
  const columns = await queryRows<{ column_name: string }>(t.db, sql`select column_name from information_schema.columns where table_name = 'answer_signals' order by 1`);
  expect(columns.map((c) => c.column_name)).toEqual(['answers', 'campaign_id', 'signal']);

  expect(await transition(t.db, fw.admin, fw.campaignId, 'closed', { mixKey: t.mixKey })).toMatchObject({ ok: true });
  const bulletin = await new Browser(t.app).get(`/campaigns/${fw.campaignId}/bulletin.json`);
  expect(JSON.parse(bulletin.text)).toMatchObject({ staffSignals: { 'staff-session': 2, 'staff-address': 2 } });
  const page = await new Browser(t.app).get(`/campaigns/${fw.campaignId}/transparency`);
  expect(page.text).toContain('2 phiếu gửi từ trình duyệt đang đăng nhập tài khoản cán bộ');
  expect(page.text).toContain('2 phiếu gửi từ địa chỉ mạng mà tài khoản cán bộ đã đăng nhập');
}, 120_000);
