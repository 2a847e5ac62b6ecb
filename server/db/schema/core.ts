import { sql } from 'drizzle-orm';
import { bigint, boolean, check, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, index, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';

export const staffRole = pgEnum('staff_role', ['admin', 'enumerator', 'member', 'chair', 'observer', 'unit_contact']);

export const staffUsers = pgTable('staff_users', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: staffRole('role').notNull(),
  /** A unit contact's units, by code (docs/design.md §5: units supply their own lists); empty for every other role. */
  unitCodes: text('unit_codes').array().notNull().default(sql`'{}'::text[]`),
  /** Where notices of the account's to-dos go (optional; only when SMTP is configured). */
  email: text('email'),
  passwordHash: text('password_hash').notNull(),
  /** Set for one-time passwords: the account can do nothing but change it. */
  mustChangePassword: boolean('must_change_password').notNull().default(true),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: createdAt(),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true, precision: 3 }),
});

/** Server-side sessions, shared by every app instance. Only a SHA-256 of the cookie token is stored. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expiry_idx').on(t.expiresAt)],
);

/** Fixed-window counters for rate limits, shared by every app instance. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  hits: integer('hits').notNull(),
  resetAt: timestamp('reset_at', { withTimezone: true, precision: 3 }).notNull(),
});

export const campaignState = pgEnum('campaign_state', [
  'draft',
  'sampling',
  'fieldwork',
  'closed',
  'unsealed',
  'published',
]);

export interface LetterSettings {
  /** yyyy-mm-dd */
  deadline?: string;
  hotline?: string;
  /** The signer's capacity lines, e.g. "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH". */
  signerTitle?: string;
  signerName?: string;
  /** "Nơi nhận", one line each. */
  recipients?: string;
}

export const campaigns = pgTable(
  'campaigns',
  {
    id: text('id').primaryKey(),
    province: text('province').notNull(),
    year: integer('year').notNull(),
    title: text('title').notNull(),
    state: campaignState('state').notNull().default('draft'),
    committeeSize: integer('committee_size'),
    committeeThreshold: integer('committee_threshold'),
    /** The methodology version this campaign uses, pinned at creation (its blocks name the questionnaires). */
    methodologyVersion: text('methodology_version').notNull(),
    /** Last year's campaign of the series, which change from last year compares with. */
    previousCampaignId: text('previous_campaign_id').references((): AnyPgColumn => campaigns.id, { onDelete: 'set null' }),
    /** The report's official header, when it differs from "ỦY BAN NHÂN DÂN TỈNH <province>" and the campaign title. */
    reportIssuer: text('report_issuer'),
    reportTitle: text('report_title'),
    /** What the invitation letters say beyond the code: reply deadline, hotline, signer, "Nơi nhận" (all optional). */
    letterSettings: jsonb('letter_settings').$type<LetterSettings>(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('campaigns_province_year_idx').on(t.province, t.year),
    check(
      'campaigns_committee_check',
      sql`(${t.committeeSize} IS NULL AND ${t.committeeThreshold} IS NULL) OR (${t.committeeThreshold} >= 2 AND ${t.committeeThreshold} <= ${t.committeeSize})`,
    ),
  ],
);

/** The campaign a row belongs to; the row goes with the campaign. */
export const campaignRef = () =>
  text('campaign_id')
    .notNull()
    .references(() => campaigns.id, { onDelete: 'cascade' });

/** A staff member a row refers to; accounts that hold keys or shares are never deleted under it. */
export const staffRef = () =>
  text('staff_id')
    .notNull()
    .references(() => staffUsers.id, { onDelete: 'restrict' });

export const units = pgTable(
  'units',
  {
    id: text('id').primaryKey(),
    campaignId: campaignRef(),
    code: text('code').notNull(),
    /** The block (khối) the unit is scored and ranked in: a block code of the campaign's methodology. */
    block: text('block').notNull(),
    nameVi: text('name_vi').notNull(),
    nameEn: text('name_en').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('units_campaign_code_idx').on(t.campaignId, t.code)],
);

/**
 * Which units of the previous campaign each unit continues (renamed: one old code; merged: several; split:
 * one old code for several units). Only a unit that continues exactly one unit, alone, compares with last year.
 */
export const unitLinks = pgTable(
  'unit_links',
  {
    campaignId: campaignRef(),
    code: text('code').notNull(),
    previousCode: text('previous_code').notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.code, t.previousCode] })],
);

/**
 * Append-only, hash-chained audit log: `hash = SHA-256(prev_hash ‖ canonical entry)`. A trigger (see the
 * custom migration) refuses UPDATE and DELETE; `ddci audit verify` detects any change made around it.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    campaignId: text('campaign_id'),
    subject: text('subject'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_campaign_idx').on(t.campaignId, t.seq)],
);

/**
 * One check value per server secret the data depends on (HMAC_SECRET, SESSION_SECRET): HMAC-SHA-256 of a
 * fixed label under the secret (server/db/secret-checks.ts). It tells whether a secret is the one the data
 * was made with, and nothing about the secret; written at the first start, compared at every start and
 * before a restore.
 */
export const secretChecks = pgTable('secret_checks', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});

/**
 * Network addresses staff accounts signed in from, as a keyed hash (never the address), with when last
 * seen: an online answer from one of them is counted as one staff could have produced (answer_signals).
 */
export const staffAddresses = pgTable('staff_addresses', {
  addressHash: text('address_hash').primaryKey(),
  lastSeen: timestamp('last_seen', { withTimezone: true, precision: 3 }).notNull(),
});
