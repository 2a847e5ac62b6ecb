import request from 'supertest';
import { Browser, createAccount, csrfFrom, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LOGIN_RATE_LIMIT: '50' });
});
afterAll(() => t.close());

const auditActions = async () =>
  (await t.database.db.query.auditLog.findMany({ orderBy: (a, { asc }) => [asc(a.seq)] })).map((e) => e.action);

describe('staff login', () => {
  test('a correct login opens a session; the cookie is HttpOnly and only its hash is stored', async () => {
    const { username, password } = await createAccount(t.db, 'admin');
    const browser = new Browser(t.app);
    const res = await browser.login(username, password);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/campaigns');
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('ddci_sid='))!;
    expect(cookie).toMatch(/HttpOnly/);
    const token = decodeURIComponent(cookie.split(';')[0]!.split('=')[1]!);
    const stored = await t.database.db.query.sessions.findMany();
    expect(stored.some((s) => s.tokenHash === token)).toBe(false);
    expect((await browser.get('/campaigns')).status).toBe(200);
    expect(await auditActions()).toContain('auth.login');
  });

  test('a wrong password and an unknown user get the same answer', async () => {
    const { username } = await createAccount(t.db, 'observer');
    const a = new Browser(t.app);
    const b = new Browser(t.app);
    const wrongPassword = await a.login(username, 'not the password at all');
    const unknownUser = await b.login('nobody-here', 'not the password at all');
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    const strip = (html: string) => html.replace(/content="[^"]+"|value="[^"]*"/g, '');
    expect(strip(wrongPassword.text)).toBe(strip(unknownUser.text));
    expect(wrongPassword.text).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');
  });

  test('the login limit trips after LOGIN_RATE_LIMIT attempts, even with the right password', async () => {
    const { username, password } = await createAccount(t.db, 'member');
    const limited = await startTestApp({ LOGIN_RATE_LIMIT: '3' });
    try {
      await createAccount(limited.db, 'member', username);
      const browser = new Browser(limited.app);
      for (let i = 0; i < 3; i++) expect((await browser.login(username, 'wrong-' + i)).status).toBe(401);
      const blocked = await browser.login(username, password);
      expect(blocked.status).toBe(429);
      expect(blocked.text).toContain('Bạn đã thử quá nhiều lần');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  test('200 wrong passwords at once: exactly LOGIN_RATE_LIMIT get an answer, every other one 429', async () => {
    const { username } = await createAccount(t.db, 'observer');
    const limited = await startTestApp({ LOGIN_RATE_LIMIT: '10' });
    try {
      await createAccount(limited.db, 'observer', username);
      const attempts = await Promise.all(Array.from({ length: 200 }, (_, i) => new Browser(limited.app).login(username, `wrong-${i}`)));
      const statuses = attempts.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(190);
    } finally {
      await limited.close();
    }
  }, 120_000);

  test('logout ends the session on the server', async () => {
    const { username, password } = await createAccount(t.db, 'chair');
    const browser = new Browser(t.app);
    await browser.login(username, password);
    expect((await browser.get('/campaigns')).status).toBe(200);
    expect((await browser.post('/logout')).status).toBe(303);
    const after = await browser.get('/campaigns');
    expect(after.status).toBe(303);
    expect(after.headers.location).toMatch(/^\/login/);
  });

  test('a one-time password only lets the user change it, and the change works', async () => {
    const { username, oneTimePassword } = await createAccount(t.db, 'admin');
    // createAccount replaced the one-time password; issue a fresh one the way an admin does
    const admin = new Browser(t.app);
    const adminAccount = await createAccount(t.db, 'admin');
    await admin.login(adminAccount.username, adminAccount.password);
    const issued = await admin.post(`/staff/${username}/password`);
    expect(issued.status).toBe(200);
    const otp = /([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})/.exec(issued.text)![1]!;
    expect(otp).not.toBe(oneTimePassword);

    const user = new Browser(t.app);
    const login = await user.login(username, otp);
    expect(login.headers.location).toBe('/account/password');
    const gated = await user.get('/campaigns');
    expect(gated.status).toBe(303);
    expect(gated.headers.location).toBe('/account/password');
    expect((await user.post('/campaigns', { province: 'X', year: 2026, title: 'Y' })).status).toBe(403);

    const mismatch = await user.post('/account/password', { current: otp, next: 'a brand new passphrase', confirm: 'something else entirely' });
    expect(mismatch.status).toBe(422);
    expect(mismatch.text).toContain('Hai lần nhập mật khẩu mới không khớp.');
    const tooShort = await user.post('/account/password', { current: otp, next: 'short', confirm: 'short' });
    expect(tooShort.text).toContain('Ít nhất 12 ký tự.');
    const changed = await user.post('/account/password', { current: otp, next: 'a brand new passphrase', confirm: 'a brand new passphrase' });
    expect(changed.status).toBe(303);
    expect((await user.get('/campaigns')).status).toBe(200);
    expect((await new Browser(t.app).login(username, 'a brand new passphrase')).status).toBe(303);
    expect((await new Browser(t.app).login(username, otp)).status).toBe(401);
  });

  test('a disabled account cannot log in and its sessions end', async () => {
    const admin = await createAccount(t.db, 'admin');
    const victim = await createAccount(t.db, 'enumerator');
    const adminBrowser = new Browser(t.app);
    await adminBrowser.login(admin.username, admin.password);
    const victimBrowser = new Browser(t.app);
    await victimBrowser.login(victim.username, victim.password);
    expect((await victimBrowser.get('/campaigns')).status).toBe(200);
    expect((await adminBrowser.post(`/staff/${victim.username}/disable`)).status).toBe(303);
    expect((await victimBrowser.get('/campaigns')).status).toBe(303);
    expect((await new Browser(t.app).login(victim.username, victim.password)).status).toBe(401);
    const self = await adminBrowser.post(`/staff/${admin.username}/disable`);
    expect(self.status).toBe(422);
    expect(self.text).toContain('Bạn không thể tự khóa tài khoản của mình.');
  });
});

describe('CSRF', () => {
  test('a post without a token, or with another browser’s token, is refused and changes nothing', async () => {
    const { username, password } = await createAccount(t.db, 'admin');
    const browser = new Browser(t.app);
    await browser.login(username, password);
    const forged = await browser.postWithoutToken('/campaigns', { province: 'Cao Bằng', year: 2031, title: 'Forged' });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('Phiên làm việc của biểu mẫu đã hết hạn');

    const other = new Browser(t.app);
    const otherToken = csrfFrom((await other.get('/login')).text);
    const stolen = await browser.agent.post('/campaigns').type('form').send({ _csrf: otherToken, province: 'Cao Bằng', year: 2031, title: 'Forged' });
    expect(stolen.status).toBe(403);

    const noCookies = await request(t.app).post('/login').type('form').send({ username, password });
    expect(noCookies.status).toBe(403);

    expect(await t.database.db.query.campaigns.findMany()).toEqual([]);
  });

  test('the token changes with the session, so a pre-login token is dead after login', async () => {
    const { username, password } = await createAccount(t.db, 'admin');
    const browser = new Browser(t.app);
    const before = csrfFrom((await browser.get('/login')).text);
    await browser.agent.post('/login').type('form').send({ _csrf: before, username, password });
    const after = csrfFrom((await browser.get('/campaigns')).text);
    expect(after).not.toBe(before);
    const stale = await browser.agent.post('/campaigns').type('form').send({ _csrf: before, province: 'Hà Giang', year: 2030, title: 'x' });
    expect(stale.status).toBe(403);
  });
});
