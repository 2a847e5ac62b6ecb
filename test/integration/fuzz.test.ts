import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { createCampaign } from '../../server/campaigns/index.js';
import { frameImports, units } from '../../server/db/schema.js';
import { checkFrameRow } from '../../server/sampling/frame-rows.js';
import { UNSAFE_TEXT } from '../../server/text.js';
import { appRoutes, Browser, createAccount, csrfFrom, formBody, loggedIn, startTestApp, TEST_PASSWORD, type TestApp } from '../support/app.js';
import { campaignInFieldwork, type FieldworkCampaign } from '../support/fieldwork.js';
import { formOf, startSurvey } from '../support/survey.js';

/**
 * Hostile input, generated (fast-check, fixed seeds): 14,000 inputs — 3,000 at code entry, 500 at login,
 * 2,500 survey forms, 500 units CSV files, 4,000 frame rows, 1,500 JSON bodies (nesting to 10,000 levels),
 * 1,000 forms with hostile field names, 1,000 multipart uploads with hostile field and file names or broken
 * framing — and 40 generated bodies at every POST route the app registers (read from its router, so a new
 * form is fuzzed too), as an administrator and as the chair. Nothing gives a 5xx; text that cannot be stored (a NUL,
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

/** A JSON document nested `depth` levels deep, as arrays or as objects. */
const nested = (depth: number, kind: 'array' | 'object') => (kind === 'array' ? '['.repeat(depth) + '1' + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

test('JSON bodies: 1,500 generated documents, deep nesting to 10,000 levels and NUL in keys and values, at every kind of route; no 5xx', async () => {
  const { browser: admin } = await loggedIn(t.app, t.db, 'admin');
  const respondent = new Browser(t.app);
  await startSurvey(respondent, fw.invitations[0]!.code);
  const token = await tokenFor(admin, '/campaigns');
  const routes: [Browser, string][] = [
    [respondent, '/survey'],
    [respondent, `/survey/units/${fw.invitations[0]!.units[0]}`],
    [new Browser(t.app), '/login'],
    [admin, `/campaigns/${fw.campaignId}/units`],
    [admin, '/campaigns'],
  ];
  const body = fc.oneof(
    fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
    fc.record({ key: hostileText, value: hostileText }).map(({ key, value }) => JSON.stringify({ [key]: value, code: value })),
    fc.tuple(fc.integer({ min: 20, max: 10_000 }), fc.constantFrom('array' as const, 'object' as const)).map(([depth, kind]) => nested(depth, kind)),
  );
  await fc.assert(
    fc.asyncProperty(body, fc.nat(routes.length - 1), async (json, route) => {
      const [browser, path] = routes[route]!;
      const res = await browser.agent.post(path).set('X-Forwarded-For', nextAddress()).set('X-CSRF-Token', token).type('application/json').send(json);
      expect({ path, status: res.status < 500 }).toEqual({ path, status: true });
    }),
    { numRuns: 1500, seed: 2112 },
  );
  // Deeper than any form: refused by name, before any handler.
  const deep = await respondent.agent.post('/survey').type('application/json').send(nested(10_000, 'object'));
  expect(deep.status).toBe(400);
  expect(deep.text).toContain('lồng nhau quá sâu');
}, 600_000);

test('form field names: 1,000 generated names with NUL, invalid bytes and quotes; no 5xx, unsafe ones refused by name', async () => {
  const browser = new Browser(t.app);
  const token = await tokenFor(browser, '/survey');
  await fc.assert(
    fc.asyncProperty(fc.oneof(hostileText.map((name) => encodeURIComponent(name)), rawBytes), async (name) => {
      const body = `${formBody({ _csrf: token })}&${name}=1&code=ABCD-EFGH-JKLM`;
      const res = await browser.agent.post('/survey').set('X-Forwarded-For', nextAddress()).type('form').send(body);
      expect(res.status).toBeLessThan(500);
      if (badText([...new URLSearchParams(body).keys()].join(''))) expect(res.status).toBe(400);
    }),
    { numRuns: 1000, seed: 1001 },
  );
}, 600_000);

test('multipart uploads: 1,000 generated bodies — hostile field and file names, NUL bytes, broken framing — to units, frame and links; no 5xx, nothing stored from a body that cannot be read', async () => {
  const { browser: admin, username } = await loggedIn(t.app, t.db, 'admin');
  const created = await createCampaign(t.db, username, { province: `Tải lên ${Date.now()}`, year: 2027, title: 'Tải lên' });
  if (!created.ok) throw new Error('campaign');
  const id = created.value;
  const token = encodeURIComponent(await tokenFor(admin, `/campaigns/${id}`));
  const targets = [`/campaigns/${id}/units/import`, `/campaigns/${fw.campaignId}/frame`, `/campaigns/${id}/links`];
  const bytes = (text: string) => Buffer.from(text, 'utf8');
  const part = (field: Buffer, filename: Buffer, content: Buffer) =>
    Buffer.concat([bytes('--B\r\nContent-Disposition: form-data; name="'), field, bytes('"; filename="'), filename, bytes('"\r\nContent-Type: text/csv\r\n\r\n'), content, bytes('\r\n--B--\r\n')]);
  const hostileBytes = fc.oneof(hostileText.map(bytes), fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b)), fc.constantFrom(bytes('a\u0000b.csv'), bytes('"'), bytes('\r\n'), bytes('file')));
  const upload = fc.oneof(
    fc.tuple(hostileBytes, hostileBytes).map(([field, filename]) => part(field, filename, bytes('code,block,name_vi,name_en\r\nX1,provincial,Một,One\r\n'))),
    fc.tuple(hostileBytes, fc.uint8Array({ maxLength: 200 })).map(([filename, content]) => part(bytes('file'), filename, Buffer.from(content))),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.concat([bytes('--B\r\n'), Buffer.from(b)])),
  );
  await fc.assert(
    fc.asyncProperty(upload, fc.nat(targets.length - 1), async (body, target) => {
      const [unitsBefore, importsBefore] = [await countUnits(id), await countImports()];
      const res = await admin.agent.post(`${targets[target]}?_csrf=${token}`).set('Content-Type', 'multipart/form-data; boundary=B').send(body);
      expect({ target: targets[target], status: res.status < 500 }).toEqual({ target: targets[target], status: true });
      if (res.status === 400) {
        expect([await countUnits(id), await countImports()]).toEqual([unitsBefore, importsBefore]);
      }
    }),
    { numRuns: 1000, seed: 4040 },
  );
  // A NUL in a file name: a 400 that says the upload could not be read.
  const named = await admin.agent.post(`${targets[0]}?_csrf=${token}`).set('Content-Type', 'multipart/form-data; boundary=B').send(part(bytes('file'), bytes('a\u0000b.csv'), bytes('x')));
  expect(named.status).toBe(400);
  expect(named.text).toContain('Không đọc được tệp gửi lên');
}, 600_000);

const countUnits = async (campaignId: string) => (await t.db.select().from(units).where(eq(units.campaignId, campaignId))).length;
const countImports = async () => (await t.db.select({ id: frameImports.id }).from(frameImports)).length;

test('every form of the app: 40 generated bodies each (hostile names and values), as an administrator and as the chair; no 5xx', async () => {
  const routes = appRoutes(t.app, 'post').filter((r) => r !== '/logout'); // signing out would end the fuzzing session
  expect(routes.length).toBeGreaterThan(30);
  const { browser: admin } = await loggedIn(t.app, t.db, 'admin');
  const chair = new Browser(t.app);
  expect((await chair.login(fw.members[0]!.username, TEST_PASSWORD)).status).toBe(303);
  const { username: victim } = await createAccount(t.db, 'observer');
  const concrete = (route: string) =>
    route.replace(':id', fw.campaignId).replace(':unit', fw.invitations[0]!.units[0]!).replace(':username', victim).replace(':unitId', 'nope').replace(':importId', 'nope');
  const fields = fc.dictionary(fc.oneof(hostileText, fc.constantFrom('code', 'passphrase', 'to', 'confirm', 'name_vi', 'seed', 'username', 'count')), fc.oneof(hostileText, fc.array(hostileText, { maxLength: 3 })), { maxKeys: 6 });
  const statuses = new Map<number, number>();
  for (const [who, browser] of [['admin', admin], ['chair', chair]] as const) {
    const token = await tokenFor(browser, '/campaigns');
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(fields, async (body) => {
          const form = Object.entries(body).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`));
          const res = await browser.agent.post(concrete(route)).set('X-Forwarded-For', nextAddress()).type('form').send([`_csrf=${encodeURIComponent(token)}`, ...form].join('&'));
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect({ who, route, status: res.status < 500 }).toEqual({ who, route, status: true });
        }),
        { numRuns: 20, seed: route.length * 31 + who.length },
      );
    }
  }
  expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(routes.length * 40);
}, 900_000);
