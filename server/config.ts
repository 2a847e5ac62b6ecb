import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';

/**
 * The only reader of the environment. Every variable is declared once here (type, default, one-line
 * description — `.env.example` mirrors these lines), validated with ajv at boot, and every invalid
 * variable is reported at once.
 */
const variables = {
  NODE_ENV: { type: 'string', enum: ['development', 'production', 'test'], default: 'development' },
  HOST: { type: 'string', minLength: 1, default: '0.0.0.0' },
  PORT: { type: 'integer', minimum: 1, maximum: 65535, default: 3000 },
  PUBLIC_URL: { type: 'string', pattern: '^https?://[^\\s]+$' },
  DATA_DIR: { type: 'string', minLength: 1, default: './data' },
  SURVEY_SCHEMAS_DIR: { type: 'string', minLength: 1 },
  DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://[^\\s]+$' },
  SESSION_SECRET: { type: 'string', minLength: 32 },
  HMAC_SECRET: { type: 'string', minLength: 32 },
  SESSION_TTL_MINUTES: { type: 'integer', minimum: 5, maximum: 10080, default: 480 },
  LOGIN_RATE_LIMIT: { type: 'integer', minimum: 1, maximum: 1000, default: 10 },
  LOGIN_RATE_WINDOW_MINUTES: { type: 'integer', minimum: 1, maximum: 1440, default: 15 },
  TRUST_PROXY: { type: 'boolean', default: false },
  COOKIE_SECURE: { type: 'boolean' },
  SEED_DEMO: { type: 'boolean', default: true },
  SHUTDOWN_GRACE_SECONDS: { type: 'integer', minimum: 1, maximum: 300, default: 10 },
  UNSEAL_SHARE_TTL_MINUTES: { type: 'integer', minimum: 1, maximum: 1440, default: 30 },
  SMTP_URL: { type: 'string', pattern: '^smtps?://[^\\s]+$' },
  MAIL_FROM: { type: 'string', minLength: 3, maxLength: 200, default: 'Khảo sát DDCI <no-reply@localhost>' },
  EMAIL_MIN_INTERVAL_HOURS: { type: 'integer', minimum: 0, maximum: 720, default: 72 },
  EMAIL_MAX_PER_INVITATION: { type: 'integer', minimum: 1, maximum: 20, default: 4 },
  SMS_URL: { type: 'string', pattern: '^https?://[^\\s]+$' },
  SMS_TOKEN: { type: 'string', minLength: 8, maxLength: 500 },
  UPLOAD_MAX_MB: { type: 'integer', minimum: 1, maximum: 4096, default: 256 },
  CHROMIUM_PATH: { type: 'string', minLength: 1 },
  BRAND_NAME: { type: 'string', minLength: 1, maxLength: 100 },
  BRAND_AGENCY: { type: 'string', minLength: 1, maxLength: 200 },
  BRAND_HOTLINE: { type: 'string', minLength: 1, maxLength: 100 },
  BRAND_FOOTER: { type: 'string', minLength: 1, maxLength: 500 },
  BRAND_EMBLEM: { type: 'string', pattern: '\\.(png|svg|jpe?g|webp)$' },
  LOG_LEVEL: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
} as const;

type VariableName = keyof typeof variables;

/** The shape ajv guarantees after coercion and defaults. */
interface EnvValues {
  NODE_ENV: string;
  HOST: string;
  PORT: number;
  PUBLIC_URL?: string;
  DATA_DIR: string;
  SURVEY_SCHEMAS_DIR?: string;
  DATABASE_URL?: string;
  SESSION_SECRET?: string;
  HMAC_SECRET?: string;
  SESSION_TTL_MINUTES: number;
  LOGIN_RATE_LIMIT: number;
  LOGIN_RATE_WINDOW_MINUTES: number;
  TRUST_PROXY: boolean;
  COOKIE_SECURE?: boolean;
  SEED_DEMO: boolean;
  SHUTDOWN_GRACE_SECONDS: number;
  UNSEAL_SHARE_TTL_MINUTES: number;
  SMTP_URL?: string;
  MAIL_FROM: string;
  EMAIL_MIN_INTERVAL_HOURS: number;
  EMAIL_MAX_PER_INVITATION: number;
  SMS_URL?: string;
  SMS_TOKEN?: string;
  UPLOAD_MAX_MB: number;
  CHROMIUM_PATH: string;
  BRAND_NAME?: string;
  BRAND_AGENCY?: string;
  BRAND_HOTLINE?: string;
  BRAND_FOOTER?: string;
  BRAND_EMBLEM?: string;
  LOG_LEVEL: string;
}

/** What this installation shows on every page: its name, emblem, managing agency, hotline and footer. */
export interface Branding {
  name: string | undefined;
  agency: string | undefined;
  hotline: string | undefined;
  footer: string | undefined;
  /** An image file, served at /brand/emblem. */
  emblemPath: string | undefined;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  /** The questionnaires and methodologies in use; unset: the ones shipped in survey-schemas/. */
  surveySchemasDir: string | undefined;
  databaseUrl: string | undefined;
  sessionSecret: string;
  hmacSecret: string;
  sessionTtlMinutes: number;
  loginRateLimit: number;
  loginRateWindowMinutes: number;
  trustProxy: boolean;
  cookieSecure: boolean;
  seedDemo: boolean;
  shutdownGraceSeconds: number;
  unsealShareTtlMinutes: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  emailMinIntervalHours: number;
  emailMaxPerInvitation: number;
  /** The SMS gateway: a JSON POST per message (server/invitations/sms.ts); none, no text messages. */
  smsUrl: string | undefined;
  smsToken: string | undefined;
  uploadMaxBytes: number;
  /** Unset: Debian's chromium when installed, else the one the npm package ships (server/reports/browser.ts). */
  chromiumPath: string | undefined;
  branding: Branding;
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super('Invalid configuration:\n' + problems.map((p) => '  - ' + p).join('\n'));
    this.name = 'ConfigError';
  }
}

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: true });
const validateEnv = ajv.compile({
  type: 'object',
  properties: variables,
  additionalProperties: false,
});

function describe(error: ErrorObject, raw: Record<string, string | undefined>): string {
  const name = error.instancePath.replace(/^\//, '');
  const given = raw[name];
  const shown = name.endsWith('SECRET') ? '(hidden)' : JSON.stringify(given);
  return `${name}: ${error.message ?? 'is invalid'} (got ${shown})`;
}

/** Reads the environment (the process's by default), validates it, and returns a typed configuration.
 * Secrets left unset are created once and kept in DATA_DIR, so a fresh install needs no configuration. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, string | undefined> = {};
  for (const name of Object.keys(variables) as VariableName[]) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const values: Record<string, unknown> = { ...raw };
  if (!validateEnv(values)) {
    throw new ConfigError((validateEnv.errors ?? []).map((e) => describe(e, raw)));
  }
  const v = values as unknown as EnvValues;
  if (v.BRAND_EMBLEM && !existsSync(path.resolve(v.BRAND_EMBLEM))) throw new ConfigError([`BRAND_EMBLEM: no such file (got "${v.BRAND_EMBLEM}")`]);
  const dataDir = path.resolve(v.DATA_DIR);
  const secrets = v.SESSION_SECRET && v.HMAC_SECRET ? null : loadOrCreateSecrets(dataDir);
  return {
    env: v.NODE_ENV as Config['env'],
    host: v.HOST,
    port: v.PORT,
    publicUrl: (v.PUBLIC_URL ?? `http://localhost:${v.PORT}`).replace(/\/+$/, ''),
    dataDir,
    surveySchemasDir: v.SURVEY_SCHEMAS_DIR ? path.resolve(v.SURVEY_SCHEMAS_DIR) : undefined,
    databaseUrl: v.DATABASE_URL,
    sessionSecret: v.SESSION_SECRET ?? secrets!.sessionSecret,
    hmacSecret: v.HMAC_SECRET ?? secrets!.hmacSecret,
    sessionTtlMinutes: v.SESSION_TTL_MINUTES,
    loginRateLimit: v.LOGIN_RATE_LIMIT,
    loginRateWindowMinutes: v.LOGIN_RATE_WINDOW_MINUTES,
    trustProxy: v.TRUST_PROXY,
    cookieSecure: v.COOKIE_SECURE ?? v.NODE_ENV === 'production',
    seedDemo: v.SEED_DEMO,
    shutdownGraceSeconds: v.SHUTDOWN_GRACE_SECONDS,
    unsealShareTtlMinutes: v.UNSEAL_SHARE_TTL_MINUTES,
    smtpUrl: v.SMTP_URL,
    mailFrom: v.MAIL_FROM,
    emailMinIntervalHours: v.EMAIL_MIN_INTERVAL_HOURS,
    emailMaxPerInvitation: v.EMAIL_MAX_PER_INVITATION,
    smsUrl: v.SMS_URL,
    smsToken: v.SMS_TOKEN,
    uploadMaxBytes: v.UPLOAD_MAX_MB * 1024 * 1024,
    chromiumPath: v.CHROMIUM_PATH,
    branding: { name: v.BRAND_NAME, agency: v.BRAND_AGENCY, hotline: v.BRAND_HOTLINE, footer: v.BRAND_FOOTER, emblemPath: v.BRAND_EMBLEM ? path.resolve(v.BRAND_EMBLEM) : undefined },
    logLevel: v.LOG_LEVEL,
  };
}

interface StoredSecrets {
  sessionSecret: string;
  hmacSecret: string;
}

function loadOrCreateSecrets(dataDir: string): StoredSecrets {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: StoredSecrets = {
    sessionSecret: randomBytes(32).toString('base64url'),
    hmacSecret: randomBytes(32).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secrets;
}

/** One line per variable for `.env.example` and `--help`; kept beside the declarations. */
export const variableDocs: Record<VariableName, string> = {
  NODE_ENV: 'development | production | test (production turns on secure cookies)',
  HOST: 'interface to listen on',
  PORT: 'HTTP port',
  PUBLIC_URL: 'address respondents and links use, e.g. https://ddci.example.gov.vn (default http://localhost:PORT)',
  DATA_DIR: 'folder for the embedded database and generated secrets',
  SURVEY_SCHEMAS_DIR: 'a folder laid out like survey-schemas/ (questionnaires, methodologies, meta) to use instead of the shipped one',
  DATABASE_URL: 'postgres://user@host:5432/db — use a PostgreSQL server instead of the embedded PGlite',
  SESSION_SECRET: 'at least 32 characters; generated into DATA_DIR/secrets.json when unset (set it when running several instances)',
  HMAC_SECRET: 'at least 32 characters; keys the access-code hashes; generated like SESSION_SECRET when unset',
  SESSION_TTL_MINUTES: 'staff session lifetime without activity',
  LOGIN_RATE_LIMIT: 'failed login and access-code attempts allowed per client per window',
  LOGIN_RATE_WINDOW_MINUTES: 'length of that window',
  TRUST_PROXY: 'true when behind a reverse proxy that sets X-Forwarded-For',
  COOKIE_SECURE: 'send cookies over HTTPS only (default: true in production)',
  SEED_DEMO: 'seed the demo campaign and accounts into an empty database',
  SHUTDOWN_GRACE_SECONDS: 'how long SIGTERM waits for open requests before closing',
  UNSEAL_SHARE_TTL_MINUTES: 'how long an approving member’s decrypted key share stays in memory',
  SMTP_URL: 'smtp://user:pass@host:587 or smtps://… — mail server for invitations and reminders (none: e-mail is off)',
  MAIL_FROM: 'sender of invitation e-mails',
  EMAIL_MIN_INTERVAL_HOURS: 'least time between two e-mails to the same business',
  EMAIL_MAX_PER_INVITATION: 'most e-mails (invitation and reminders) one business receives',
  SMS_URL: 'https://… — SMS gateway for reminders: one JSON POST {"to","text"} per message (none: text messages are off)',
  SMS_TOKEN: 'sent to the SMS gateway as "Authorization: Bearer …" (optional)',
  UPLOAD_MAX_MB: 'largest sampling-frame file accepted (a 1,000,000-row frame is ~180 MB); larger uploads are refused before they are read',
  CHROMIUM_PATH: 'the Chromium that prints reports to PDF (default: Debian’s chromium when installed, else the one the npm package @sparticuz/chromium ships)',
  BRAND_NAME: 'the installation’s name in every page header, e.g. “Khảo sát DDCI tỉnh Lạng Sơn” (default: the platform’s name)',
  BRAND_AGENCY: 'the managing agency, shown in every page footer, e.g. “Sở Tài chính tỉnh Lạng Sơn”',
  BRAND_HOTLINE: 'the support hotline shown in every page footer',
  BRAND_FOOTER: 'one more line for every page footer (address, hours)',
  BRAND_EMBLEM: 'an emblem image (.png, .svg, .jpg, .webp) shown beside the name in every page header',
  LOG_LEVEL: 'fatal | error | warn | info | debug | trace | silent',
};
