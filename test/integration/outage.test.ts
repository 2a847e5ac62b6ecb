import { createApp } from '../../server/app.js';
import { openDatabase, type Database } from '../../server/db/client.js';
import { createLogger } from '../../server/logger.js';
import { Browser, loggedIn, testConfig } from '../support/app.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';

/**
 * The database goes away and comes back: every kind of page answers 503 with Retry-After and a page in the
 * user's language while it is away — never a bare 500 — and the app serves again once it is back, with no
 * restart. On a PostgreSQL cluster of the test's own (stopped and started; the shared server is never
 * touched), and on the embedded database closed under the app.
 */
// Pages that read the database (the login form itself needs none: signing in does).
const PAGES = ['/', '/survey', '/campaigns/any/results', '/campaigns/any/transparency', '/campaigns/any/report.pdf'];

async function expectUnavailable(browser: Browser, staff: Browser) {
  // A signed-in member of staff: the session itself is read from the database.
  for (const page of ['/campaigns', '/audit']) expect({ page, status: (await staff.get(page)).status }).toEqual({ page, status: 503 });
  for (const page of PAGES) {
    const res = await browser.get(page);
    expect({ page, status: res.status }).toEqual({ page, status: 503 });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.text).toContain('Chưa có gì được lưu');
    expect(res.text).toMatch(/Mã tham chiếu: <code>[\w-]{10}<\/code>/); // a reference to quote, never a stack trace
    expect(res.text).not.toMatch(/at \w+ \(|node_modules|Error:/);
  }
  const english = await browser.get('/survey?lang=en');
  expect(english.text).toContain('Nothing from what you just did was stored');
  for (const [path, form] of [['/survey', { code: 'ABCD-EFGH-JKLM' }], ['/login', { username: 'quantri', password: 'mật khẩu' }]] as const) {
    const posted = await browser.post(path, form);
    expect({ path, status: posted.status }).toEqual({ path, status: 503 });
  }
  const json = await browser.agent.get('/campaigns/any/results.json').set('Accept', 'application/json');
  expect(json.status).toBe(503);
  expect(json.type).toBe('application/problem+json');
}

describe('a PostgreSQL server that stops and starts again', () => {
  let server: PrivatePostgres;
  let database: Database;
  beforeAll(async () => {
    server = startPrivatePostgres();
    database = await openDatabase({ url: server.url });
    await database.migrate();
  }, 120_000);
  afterAll(async () => {
    await database?.close().catch(() => undefined);
    server?.destroy();
  });

  test('503 with Retry-After on every route while it is down; served again when it is back', async () => {
    const { app } = createApp({ config: testConfig(), database, logger: createLogger('silent') });
    const browser = new Browser(app);
    const { browser: staff } = await loggedIn(app, database.db, 'admin');
    expect((await browser.get('/survey')).status).toBe(200);
    server.stop();
    await expectUnavailable(browser, staff);
    const health = await browser.get('/healthz');
    expect(health.status).toBe(503);
    expect(Number(health.headers['retry-after'])).toBeGreaterThan(0);
    server.start();
    expect((await browser.get('/survey')).status).toBe(200);
    expect((await browser.get('/healthz')).status).toBe(200);
    expect((await staff.get('/campaigns')).status).toBe(200);
  }, 120_000);
});

test('the embedded database closed under the app: 503 with Retry-After, never a 500', async () => {
  const database = await openDatabase({});
  await database.migrate();
  const { app } = createApp({ config: testConfig(), database, logger: createLogger('silent') });
  const browser = new Browser(app);
  const { browser: staff } = await loggedIn(app, database.db, 'admin');
  expect((await browser.get('/survey')).status).toBe(200);
  await database.close();
  await expectUnavailable(browser, staff);
}, 60_000);
