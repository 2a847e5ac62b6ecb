import { sql } from 'drizzle-orm';
import { bigint, primaryKey, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, index } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';
import { campaignRef } from './core.js';

// ---- Sampling (docs/design.md §5) ----------------------------------------------------------------------

export const sizeBand = pgEnum('size_band', ['micro', 'small', 'medium', 'large', 'unknown']);
export const dealingSource = pgEnum('dealing_source', ['procedure', 'unit_list']);
// 'ready' is no longer written (a clean import goes from running to imported in one transaction); rows of older versions may hold it.
export const importStatus = pgEnum('import_status', ['running', 'invalid', 'ready', 'imported', 'failed']);

/** One frame upload being checked and staged; progress lives here so any instance can show it. */
export const frameImports = pgTable(
  'frame_imports',
  {
  id: text('id').primaryKey(),
  campaignId: campaignRef(),
  fileName: text('file_name').notNull(),
  /** Null: the administrator's frame file (the procedures system's export), which replaces the earlier one.
   * Else a unit contact's own list for these units, which replaces that contact's earlier list of them. */
  unitCodes: text('unit_codes').array(),
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
    campaignId: campaignRef(),
    taxCode: text('tax_code').notNull(),
    ...businessDetails(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.taxCode] })],
);

/** ... and their dealings with each unit (merged by business and unit). */
export const frameDealings = pgTable(
  'frame_dealings',
  {
    campaignId: campaignRef(),
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
  campaignId: campaignRef().primaryKey(),
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
    campaignId: campaignRef(),
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
