import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { createCampaign } from '../../server/campaigns/index.js';
import { units } from '../../server/db/schema.js';
import { checkFrameRow } from '../../server/sampling/frame-rows.js';
import { UNSAFE_TEXT } from '../../server/text.js';
import { Browser, createAccount, csrfFrom, formBody, loggedIn, startTestApp, type TestApp } from '../support/app.js';
import { campaignInFieldwork, type FieldworkCampaign } from '../support/fieldwork.js';
import { formOf, startSurvey } from '../support/survey.js';

/**
 * Hostile input, generated (fast-check, fixed seeds): 10,500 inputs — 3,000 at code entry, 500 at login,
 * 2,500 survey forms, 500 units CSV files, 4,000 frame rows. Nothing gives a 5xx; text that cannot be stored (a NUL,
 * or bytes that are not UTF-8) is refused with a 4xx naming the field, and nothing is stored.
 * Every request comes from its own address (TRUST_PROXY), so the guessing limits do not hide the handlers.
 */
let t: TestApp;
let fw: FieldworkCampaign;
let address = 0;
const nextAddress = () => `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address++ & 255}`;

beforeAll(async () => {
  t = await startTestApp({ TRUST_PROXY: 'true' });
  fw = await campaignInFieldwork(t.db, 'Thử nghiệm', ['SXD', 'HCL'], { perUnit: 4 });
}, 120_000);
afterAll(() => t.close());

/** Strings a hostile client sends: any code point (NUL and lone surrogates included), and plain ones. */
const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('\u0000', 'ABCD-EFGH-JK\u0000M', '\uFFFD', '%00', '=cmd|/C calc!A0', "'; drop table responses; --", 'x'.repeat(5000)),
);
/** Arbitrary bytes for a field's value, percent-encoded as a form sends them: often not UTF-8. */
const rawBytes = fc.uint8Array({ maxLength: 120 }).map((b) => [...b].map((x) => `%${x.toString(16).padStart(2, '0')}`).join(''));

/** What the server decodes from a field: its text, as URLSearchParams would give it. */
const decoded = (body: string) => [...new URLSearchParams(body).values()].join('');
// A lone surrogate half cannot be sent as UTF-8: the client's encoder turns it into U+FFFD.
const badText = (text: string) => UNSAFE_TEXT.test(text) || /[\uD800-\uDFFF]/u.test(text);

async function tokenFor(browser: Browser, page: string) {
  return csrfFrom((await browser.get(page)).text);
}

test('code entry: 3,000 generated codes, as text and as arbitrary bytes', async () => {
  const browser = new Browser(t.app);
  const token = await tokenFor(browser, '/survey');
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(fc.oneof(hostileText.map((s) => formBody({ _csrf: token, code: s })), rawBytes.map((b) => `${formBody({ _csrf: token })}&code=${b}`)), async (body) => {
      const res = await browser.agent.post('/survey').set('X-Forwarded-For', nextAddress()).type('form').send(body);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (badText(decoded(body))) {
        expect(res.status).toBe(400);
        expect(res.text).toContain('ký tự không hợp lệ');
      } else expect([303, 400]).toContain(res.status);
    }),
    { numRuns: 3000, seed: 20261201 },
  );
  expect(statuses.get(400)).toBeGreaterThan(1000);
}, 300_000);

test('login: 500 generated usernames and passwords', async () => {
  const browser = new Browser(t.app);
  const token = await tokenFor(browser, '/login');
  await fc.assert(
    fc.asyncProperty(hostileText, hostileText, async (username, password) => {
      const body = formBody({ _csrf: token, username, password });
      const res = await browser.agent.post('/login').set('X-Forwarded-For', nextAddress()).type('form').send(body);
      expect(badText(decoded(body)) ? [400] : [401]).toContain(res.status);
    }),
    { numRuns: 500, seed: 7 },
  );
}, 300_000);

test('the survey form: 2,500 generated answer sheets are refused field by field, never a 5xx, and nothing bad is stored', async () => {
  const browser = new Browser(t.app);
  const invitation = fw.invitations.find((i) => i.units.includes('SXD'))!;
  await startSurvey(browser, invitation.code);
  const form = formOf((await browser.get('/survey/units/SXD')).text);
  const codes = Object.keys(form.schema.properties ?? {});
  const sheet = fc.dictionary(fc.constantFrom(...codes, 'Z9', '__proto__', 'constructor'), fc.oneof(hostileText, fc.array(hostileText, { maxLength: 4 })), { maxKeys: 12 });
  await fc.assert(
    fc.asyncProperty(sheet, async (fields) => {
      const body = formBody({ _csrf: browser.currentToken()!, _nonce: form.nonce, ...(fields as Record<string, string | string[]>) });
      const res = await browser.agent.post('/survey/units/SXD').type('form').send(body);
      expect(res.status).toBeLessThan(500);
      if (badText(decoded(body))) expect(res.status).toBe(400);
    }),
    { numRuns: 2500, seed: 42 },
  );
}, 600_000);

test('the units CSV import: 500 generated files, text and raw bytes; no 5xx, bad text named, nothing stored from them', async () => {
  const { browser: admin, username } = await loggedIn(t.app, t.db, 'admin');
  const created = await createCampaign(t.db, username, { province: `Nháp ${Date.now()}`, year: 2027, title: 'Nháp' });
  if (!created.ok) throw new Error('campaign');
  const id = created.value;
  const token = await tokenFor(admin, `/campaigns/${id}`);
  const csv = fc.oneof(
    fc.tuple(hostileText, hostileText, hostileText).map(([code, name, en]) => Buffer.from(`code,block,name_vi,name_en\r\n${code},provincial,${name},${en}\r\n`)),
    fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.concat([Buffer.from('code,block,name_vi,name_en\n'), Buffer.from(b)])),
  );
  await fc.assert(
    fc.asyncProperty(csv, async (file) => {
      const before = (await t.db.select().from(units).where(eq(units.campaignId, id))).length;
      const res = await admin.agent.post(`/campaigns/${id}/units/import?_csrf=${encodeURIComponent(token)}`).attach('file', file, 'don-vi.csv');
      expect(res.status).toBeLessThan(500);
      const text = file.toString('utf8');
      if (badText(text)) {
        expect(res.status).toBe(422);
        expect(res.text).toMatch(/không phải văn bản UTF-8|ký tự không hợp lệ|Không đọc được tệp CSV/);
        expect((await t.db.select().from(units).where(eq(units.campaignId, id))).length).toBe(before);
      }
    }),
    { numRuns: 500, seed: 99 },
  );
}, 600_000);

test('the frame’s row check: 4,000 generated rows; a cell that cannot be stored is a row error on its column', () => {
  const columns = { taxCode: 0, name: 1, address: 2, district: 3, email: 4, phone: 5, sizeBand: 6, unitCode: 7, dealings: 8, source: 9 };
  fc.assert(
    fc.property(fc.array(hostileText, { minLength: 10, maxLength: 10 }), (cells) => {
      const checked = checkFrameRow(cells, 2, columns as Parameters<typeof checkFrameRow>[2], new Set(['SXD']));
      const bad = cells.some((c) => UNSAFE_TEXT.test(c.trim()));
      if (bad) {
        expect(checked.ok).toBe(false);
        if (!checked.ok) expect(checked.errors.some((e) => e.reason.key === 'csv.badCharacters')).toBe(true);
      }
      if (checked.ok) for (const value of Object.values(checked.row)) if (typeof value === 'string') expect(UNSAFE_TEXT.test(value)).toBe(false);
    }),
    { numRuns: 4000, seed: 5 },
  );
});

test('an account name with a NUL is refused before the database sees it', async () => {
  const { username } = await createAccount(t.db, 'observer');
  const res = await new Browser(t.app).post('/login', { username: `${username}\u0000`, password: 'x' });
  expect(res.status).toBe(400);
});
