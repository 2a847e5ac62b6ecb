import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  primaryKey,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  index,
} from 'drizzle-orm/pg-core';

// One schema for PGlite and PostgreSQL. Migrations are generated from it with `npm run db:generate`.

/** Binary columns come back as Buffer from node-postgres and as Uint8Array from PGlite: always Buffer here. */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

const createdAt = () => timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow();

export const staffRole = pgEnum('staff_role', ['admin', 'enumerator', 'member', 'chair', 'observer']);

export const staffUsers = pgTable('staff_users', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: staffRole('role').notNull(),
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

export const unitKind = pgEnum('unit_kind', ['department', 'district']);

export const units = pgTable(
  'units',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    kind: unitKind('kind').notNull(),
    nameVi: text('name_vi').notNull(),
    nameEn: text('name_en').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('units_campaign_code_idx').on(t.campaignId, t.code)],
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

/** A committee member's personal keys: public halves in clear, private halves as encrypted PKCS#8 only. */
export const memberKeys = pgTable('member_keys', {
  staffId: text('staff_id')
    .primaryKey()
    .references(() => staffUsers.id, { onDelete: 'restrict' }),
  encryptionPublic: bytea('encryption_public').notNull(),
  signingPublic: bytea('signing_public').notNull(),
  encryptionPrivatePem: text('encryption_private_pem').notNull(),
  signingPrivatePem: text('signing_private_pem').notNull(),
  kdfSalt: text('kdf_salt').notNull(),
  kdf: text('kdf').notNull(),
  fingerprint: text('fingerprint').notNull(),
  createdAt: createdAt(),
});

/** Who holds a key share of a campaign (chosen while the campaign is a draft). */
export const committeeMembers = pgTable(
  'committee_members',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    staffId: text('staff_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'restrict' }),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.staffId] })],
);

/** The campaign public key from the key ceremony; its private key exists only as the shares below. */
export const campaignKeys = pgTable('campaign_keys', {
  campaignId: text('campaign_id')
    .primaryKey()
    .references(() => campaigns.id, { onDelete: 'cascade' }),
  publicKey: bytea('public_key').notNull(),
  fingerprint: text('fingerprint').notNull(),
  threshold: integer('threshold').notNull(),
  shareCount: integer('share_count').notNull(),
  shareTag: text('share_tag').notNull(),
  envelopeTag: text('envelope_tag').notNull(),
  createdAt: createdAt(),
});

/** One Shamir share per member, sealed to that member's X25519 key. */
export const keyShares = pgTable(
  'key_shares',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    staffId: text('staff_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'restrict' }),
    shareIndex: integer('share_index').notNull(),
    sealedShare: bytea('sealed_share').notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.staffId] })],
);

// ---- Sampling (DESIGN §5) ----------------------------------------------------------------------

export const sizeBand = pgEnum('size_band', ['micro', 'small', 'medium', 'large', 'unknown']);
export const dealingSource = pgEnum('dealing_source', ['procedure', 'unit_list']);
export const importStatus = pgEnum('import_status', ['running', 'invalid', 'ready', 'imported', 'failed']);

/** One frame upload being checked and staged; progress lives here so any instance can show it. */
export const frameImports = pgTable(
  'frame_imports',
  {
  id: text('id').primaryKey(),
  campaignId: text('campaign_id')
    .notNull()
    .references(() => campaigns.id, { onDelete: 'cascade' }),
  fileName: text('file_name').notNull(),
  status: importStatus('status').notNull().default('running'),
  bytesTotal: bigint('bytes_total', { mode: 'number' }).notNull(),
  bytesRead: bigint('bytes_read', { mode: 'number' }).notNull().default(0),
  rowsRead: integer('rows_read').notNull().default(0),
  rowsValid: integer('rows_valid').notNull().default(0),
  rowsInvalid: integer('rows_invalid').notNull().default(0),
  /** How duplicates were merged, filled once the frame is imported. */
  mergeReport: jsonb('merge_report').$type<Record<string, number>>(),
  failure: text('failure'),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  /** Written with every progress update: an import whose heartbeat stopped was interrupted. */
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true, precision: 3 }),
},
  // At most one running import per campaign, whichever instance started it.
  (t) => [uniqueIndex('frame_imports_one_running_idx').on(t.campaignId).where(sql`${t.status} = 'running'`)],
);

/** A business's details as the frame file gives them (fresh column builders for each table). */
const businessDetails = () => ({
  name: text('name').notNull(),
  address: text('address').notNull(),
  district: text('district').notNull(),
  sector: text('sector').notNull(),
  sizeBand: sizeBand('size_band').notNull(),
  email: text('email').notNull(),
  phone: text('phone').notNull(),
});

/** Every bad row of an import: row, column, reason (a message key and its parameters). */
export const frameImportErrors = pgTable(
  'frame_import_errors',
  {
    importId: text('import_id')
      .notNull()
      .references(() => frameImports.id, { onDelete: 'cascade' }),
    row: integer('row').notNull(),
    column: text('column').notNull(),
    reasonKey: text('reason_key').notNull(),
    reasonParams: jsonb('reason_params').$type<Record<string, string | number>>(),
  },
  (t) => [index('frame_import_errors_idx').on(t.importId, t.row)],
);

/** Valid rows of an import, as read, before duplicates are merged into the frame. */
export const frameStaging = pgTable(
  'frame_staging',
  {
    importId: text('import_id')
      .notNull()
      .references(() => frameImports.id, { onDelete: 'cascade' }),
    row: integer('row').notNull(),
    taxCode: text('tax_code').notNull(),
    ...businessDetails(),
    unitCode: text('unit_code').notNull(),
    dealings: integer('dealings').notNull(),
    source: dealingSource('source').notNull(),
  },
  // No index: rows are appended in bulk and read back whole by the merge.
);

/** The campaign's sampling frame: businesses (merged by tax code) ... */
export const frameBusinesses = pgTable(
  'frame_businesses',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    taxCode: text('tax_code').notNull(),
    ...businessDetails(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.taxCode] })],
);

/** ... and their dealings with each unit (merged by business and unit). */
export const frameDealings = pgTable(
  'frame_dealings',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    taxCode: text('tax_code').notNull(),
    unitCode: text('unit_code').notNull(),
    /** The business's size band, copied at merge: the design and the draw read strata without a join. */
    sizeBand: sizeBand('size_band').notNull().default('unknown'),
    dealings: integer('dealings').notNull(),
    /** procedure, unit_list, or both (comma-separated, sorted). */
    sources: text('sources').notNull(),
  },
  // Tax code first: the frame hash reads the frame in (tax code, unit) order.
  (t) => [primaryKey({ columns: [t.campaignId, t.taxCode, t.unitCode] })],
);

/** Per campaign: the frozen frame, the design, the seed commitment, the draw. Filled step by step. */
export const samplingPlans = pgTable('sampling_plans', {
  campaignId: text('campaign_id')
    .primaryKey()
    .references(() => campaigns.id, { onDelete: 'cascade' }),
  importId: text('import_id'),
  frameHash: text('frame_hash'),
  frameBusinesses: integer('frame_businesses'),
  frameDealings: integer('frame_dealings'),
  frozenAt: timestamp('frozen_at', { withTimezone: true, precision: 3 }),
  design: jsonb('design').$type<Record<string, unknown>>(),
  seedCommitment: text('seed_commitment'),
  /** Kept secret until the draw, then published; the commitment binds it. */
  seed: text('seed'),
  publicRandomSource: text('public_random_source'),
  publicRandomValue: text('public_random_value'),
  committedAt: timestamp('committed_at', { withTimezone: true, precision: 3 }),
  drawAlgorithm: text('draw_algorithm'),
  sampleHash: text('sample_hash'),
  drawnAt: timestamp('drawn_at', { withTimezone: true, precision: 3 }),
});

export const drawRole = pgEnum('draw_role', ['sample', 'reserve']);

/** The drawn sample and reserve lists, per stratum in draw order. */
export const sampleEntries = pgTable(
  'sample_entries',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    unitCode: text('unit_code').notNull(),
    sizeBand: sizeBand('size_band').notNull(),
    position: integer('position').notNull(),
    taxCode: text('tax_code').notNull(),
    role: drawRole('role').notNull(),
    /** A reserve entry that replaced a sampled one (documented replacement). */
    usedAt: timestamp('used_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.unitCode, t.sizeBand, t.position] }),
    index('sample_entries_business_idx').on(t.campaignId, t.taxCode),
  ],
);

/** One invitation per sampled business. The access code is never stored: only its keyed hash. */
export const invitations = pgTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    taxCode: text('tax_code').notNull(),
    codeHash: text('code_hash').notNull().unique(),
    emailsSent: integer('emails_sent').notNull().default(0),
    lastEmailedAt: timestamp('last_emailed_at', { withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('invitations_business_idx').on(t.campaignId, t.taxCode)],
);

export const invitationUnitStatus = pgEnum('invitation_unit_status', ['invited', 'answered', 'replaced']);

/** Which units an invitation covers. `answered` is a flag only: no time, no response id. */
export const invitationUnits = pgTable(
  'invitation_units',
  {
    invitationId: text('invitation_id')
      .notNull()
      .references(() => invitations.id, { onDelete: 'cascade' }),
    unitCode: text('unit_code').notNull(),
    status: invitationUnitStatus('status').notNull().default('invited'),
  },
  (t) => [primaryKey({ columns: [t.invitationId, t.unitCode] })],
);

/** Answers per unit per day, for the response-rate chart: counts with no link to any invitation or response. */
export const dailyAnswerCounts = pgTable(
  'daily_answer_counts',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    unitCode: text('unit_code').notNull(),
    day: text('day').notNull(),
    answers: integer('answers').notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.unitCode, t.day] })],
);

export const mailMode = pgEnum('mail_mode', ['invite', 'remind']);

/** One sending of invitation or reminder e-mails, run in the background; progress lives here. */
export const mailRuns = pgTable(
  'mail_runs',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    mode: mailMode('mode').notNull(),
    status: text('status').notNull().default('running'),
    total: integer('total').notNull().default(0),
    sent: integer('sent').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true, precision: 3 }),
  },
  // One sending per campaign at a time: two clicks must not mail every business twice.
  (t) => [uniqueIndex('mail_runs_one_running_idx').on(t.campaignId).where(sql`${t.status} = 'running'`)],
);
