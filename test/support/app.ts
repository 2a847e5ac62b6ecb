import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { can, createStaff, type Role } from '../../server/auth/index.js';
import { createKeysForMember } from '../../server/sealing/index.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { findStaffByUsername, updateStaff } from '../../server/auth/queries.js';
import { loadConfig, type Config } from '../../server/config.js';
import { mixingKey } from '../../server/sealing/index.js';
import type { Db } from '../../server/db/client.js';
import { claimSecrets } from '../../server/db/secret-checks.js';
import { createLogger } from '../../server/logger.js';
import { freshDatabase, type TestDatabase } from './database.js';
import { TEST_HMAC_SECRET } from './sampling.js';
import { closePrinter } from '../../server/reports/browser.js';

export interface TestApp {
  app: Express;
  db: Db;
  database: TestDatabase;
  config: Config;
  /** The mixing layer's key of this app (closing fieldwork needs it, as the app's own routes pass it). */
  mixKey: Buffer;
  close(): Promise<void>;
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
    HMAC_SECRET: TEST_HMAC_SECRET,
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ddci-app-')),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
}

/** A logger at debug level whose every line lands in `lines`: for checking what logs never contain. */
export function capturingLogger(lines: string[]) {
  return createLogger('debug', { write: (line: string) => void lines.push(line) });
}

/**
 * The real app on a fresh database (or on `database`, already migrated); with `logs`, every log line at
 * debug level is kept there.
 */
export async function startTestApp(env: Record<string, string> = {}, options: { onDisk?: boolean; logs?: string[]; database?: TestDatabase } = {}): Promise<TestApp> {
  const database = options.database ?? (await freshDatabase(options));
  const config = testConfig(env);
  // As the app's start does (server/main.ts): the secrets' check values go with the data.
  const foreign = await claimSecrets(database.db, { HMAC_SECRET: config.hmacSecret, SESSION_SECRET: config.sessionSecret });
  if (foreign.length) throw new Error(`secrets not the database's: ${foreign.join(', ')}`);
  const { app } = createApp({ config, database, logger: options.logs ? capturingLogger(options.logs) : createLogger(config.logLevel) });
  return { app, db: database.db, database, config, mixKey: mixingKey(config.hmacSecret), close: async () => void (await Promise.all([database.close(), closePrinter()])) };
}

export const TEST_PASSWORD = 'correct horse battery staple';
export const TEST_PASSPHRASE = 'mot cum mat khau rat dai cho hoi dong';

/** An active account with a known password (the one-time password already replaced); committee
 * accounts also get their personal keys under TEST_PASSPHRASE, as their first login would make them. */
export async function createAccount(
  db: Db,
  role: Role,
  username = `${role}-${Math.random().toString(36).slice(2, 8)}`,
  options: { withKeys?: boolean; unitCodes?: string[] } = {},
) {
  const created = await createStaff(db, 'test', { username, displayName: `Test ${role} ${username}`, role, unitCodes: options.unitCodes });
  if (!created.ok) throw new Error('account exists: ' + username);
  const user = (await findStaffByUsername(db, username))!;
  await updateStaff(db, user.id, { passwordHash: await hashPassword(TEST_PASSWORD), mustChangePassword: false });
  const principal = { id: user.id, username, displayName: user.displayName, role, mustChangePassword: false, unitCodes: user.unitCodes };
  if ((options.withKeys ?? true) && can(role, 'unseal.approve')) {
    const keys = await createKeysForMember(db, principal, TEST_PASSPHRASE);
    if (!keys.ok) throw new Error('keys');
  }
  return { username, password: TEST_PASSWORD, oneTimePassword: created.oneTimePassword, principal };
}

export function csrfFrom(html: string): string {
  const match = /name="csrf-token" content="([^"]+)"/.exec(html) ?? /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token in page');
  return match[1]!;
}

/** A form body as a browser sends it: a field with several values repeats its name. */
export function formBody(fields: Record<string, string | number | string[]>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, String(v));
  return body.toString();
}

/** A browser: keeps cookies, reads the CSRF token from the pages it gets, and posts forms with it. */
export class Browser {
  readonly agent: ReturnType<typeof request.agent>;
  private token: string | undefined;

  constructor(app: Express) {
    this.agent = request.agent(app);
  }

  async get(path: string) {
    const res = await this.agent.get(path);
    if (res.type === 'text/html' && /csrf-token" content="[^"]+"/.test(res.text)) this.token = csrfFrom(res.text);
    return res;
  }

  /** Posts a form with the CSRF token of the current session (fetching a page first when needed). */
  async post(path: string, fields: Record<string, string | number | string[]> = {}) {
    if (!this.token) await this.get('/');
    const res = await this.agent.post(path).type('form').send(formBody({ _csrf: this.token!, ...fields }));
    if (res.type === 'text/html' && /csrf-token" content="[^"]+"/.test(res.text)) this.token = csrfFrom(res.text);
    return res;
  }

  /** Posts without a token, as a forged cross-site form would. */
  postWithoutToken(path: string, fields: Record<string, string | number> = {}) {
    return this.agent.post(path).type('form').send(fields);
  }

  async login(username: string, password: string) {
    const res = await this.post('/login', { username, password });
    this.token = undefined; // the session changed, and with it the token
    return res;
  }

  currentToken(): string | undefined {
    return this.token;
  }
}

export async function loggedIn(app: Express, db: Db, role: Role): Promise<{ browser: Browser; username: string }> {
  const { username, password } = await createAccount(db, role);
  const browser = new Browser(app);
  const res = await browser.login(username, password);
  if (res.status !== 303) throw new Error(`login as ${role} failed: ${res.status}`);
  return { browser, username };
}

/** Every route the app registers for a method, from Express's own router stack (paths with their :params). */
export function appRoutes(app: Express, method: 'get' | 'post'): string[] {
  const found: string[] = [];
  const walk = (stack: { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }[]) => {
    for (const layer of stack) {
      if (layer.route?.methods[method]) found.push(layer.route.path);
      else if (layer.handle?.stack) walk(layer.handle.stack as typeof stack);
    }
  };
  walk((app as unknown as { router: { stack: Parameters<typeof walk>[0] } }).router.stack);
  return [...new Set(found)].sort();
}

/** Supertest's parser for a binary download (an XLSX, a PDF, a deck): the body as one Buffer. */
export function asBuffer(res: import('superagent').Response, done: (error: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
