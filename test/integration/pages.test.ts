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

describe('branding of an installation', () => {
  test('name, emblem, agency, hotline and footer on every page; a missing emblem stops the start with its variable named', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { testConfig } = await import('../support/app.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'ddci-brand-'));
    const emblem = path.join(dir, 'quoc-huy.svg');
    writeFileSync(emblem, '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="5" fill="#c8102e"/></svg>');
    const branded = await startTestApp({
      BRAND_NAME: 'Khảo sát DDCI tỉnh Lạng Sơn',
      BRAND_AGENCY: 'Sở Tài chính tỉnh Lạng Sơn',
      BRAND_HOTLINE: '0205 3 812 345',
      BRAND_FOOTER: 'Số 1 đường Hoàng Văn Thụ, TP Lạng Sơn',
      BRAND_EMBLEM: emblem,
    });
    try {
      for (const page of ['/', '/login', '/survey', '/no/such/page']) {
        const res = await request(branded.app).get(page);
        expect(res.text).toContain('<img src="/brand/emblem" alt="" class="emblem">Khảo sát DDCI tỉnh Lạng Sơn</a>');
        expect(res.text).toContain('<strong>Sở Tài chính tỉnh Lạng Sơn</strong>');
        expect(res.text).toContain('Đường dây nóng: <a href="tel:0205 3 812 345">0205 3 812 345</a>');
        expect(res.text).toContain('Số 1 đường Hoàng Văn Thụ, TP Lạng Sơn');
      }
      const image = await request(branded.app).get('/brand/emblem');
      expect(image.status).toBe(200);
      expect(image.type).toBe('image/svg+xml');
    } finally {
      await branded.close();
    }
    // Without branding: the platform's own name, no emblem route.
    expect((await request(t.app).get('/')).text).toContain('<a class="brand" href="/">Nền tảng khảo sát DDCI</a>');
    expect((await request(t.app).get('/brand/emblem')).status).toBe(404);
    expect(() => testConfig({ BRAND_EMBLEM: path.join(dir, 'missing.png') })).toThrow(/BRAND_EMBLEM: no such file/);
  });
});
