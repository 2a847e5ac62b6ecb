import request from 'supertest';
import { Browser, loggedIn, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('pages, languages and errors', () => {
  test('/healthz reports the database', async () => {
    const res = await request(t.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: { kind: t.database.kind, status: 'ok' } });
  });

  test('Vietnamese first; ?lang=en switches to English and is remembered', async () => {
    const browser = new Browser(t.app);
    const vi = await browser.get('/');
    expect(vi.text).toContain('<html lang="vi">');
    expect(vi.text).toContain('Các đợt khảo sát');
    const en = await browser.get('/?lang=en');
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Survey campaigns');
    expect((await browser.get('/login')).text).toContain('Staff log in');
  });

  test('404 in both languages, as a page or as problem+json', async () => {
    const vi = await request(t.app).get('/no/such/page');
    expect(vi.status).toBe(404);
    expect(vi.text).toContain('Không tìm thấy trang.');
    const en = await request(t.app).get('/no/such/page?lang=en');
    expect(en.text).toContain('Page not found.');
    const json = await request(t.app).get('/no/such/page').set('Accept', 'application/json');
    expect(json.type).toBe('application/problem+json');
    expect(json.body).toMatchObject({ status: 404, title: 'Không tìm thấy trang.' });
  });

  test('a strict CSP and the usual security headers are sent', async () => {
    const res = await request(t.app).get('/');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  test('an oversized form gets 413, a malformed JSON body 400, both as pages', async () => {
    const { browser } = await loggedIn(t.app, t.db, 'admin');
    const big = await browser.post('/campaigns', { province: 'x'.repeat(200_000), year: 2026, title: 't' });
    expect(big.status).toBe(413);
    expect(big.text).toContain('Tệp hoặc nội dung gửi lên quá lớn.');
    const bad = await request(t.app).post('/login').set('Content-Type', 'application/json').send('{"username":');
    expect(bad.status).toBe(400);
    expect(bad.text).not.toMatch(/at \w+ \(/); // no stack trace
  });
});
