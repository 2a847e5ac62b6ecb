import { sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';
import { campaignRef } from './core.js';

/** One unsealing-and-scoring run, in the background; its progress lives here (one running per campaign). */
export const scoringRuns = pgTable(
  'scoring_runs',
  {
    id: text('id').primaryKey(),
    campaignId: campaignRef(),
    status: text('status').notNull().default('running'),
    done: integer('done').notNull().default(0),
    total: integer('total').notNull().default(0),
    /** A message key: why the run failed (never an answer, a key or a share). */
    failure: text('failure'),
    /** The failure message's parameters (e.g. the unit and stratum without a frame count). */
    failureParams: jsonb('failure_params').$type<Record<string, string | number>>(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true, precision: 3 }),
    /** Refreshed while the run's instance works on it: a running run whose heartbeat stopped was interrupted. */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('scoring_runs_one_running_idx').on(t.campaignId).where(sql`${t.status} = 'running'`)],
);

/** The results and the microdata, sealed for the committee (a SealedDocument), until publication. */
export const sealedResults = pgTable('sealed_results', {
  campaignId: campaignRef().primaryKey(),
  document: jsonb('document').$type<{ tag: string; payload: string; recipients: { memberId: string; wrappedKey: string }[] }>().notNull(),
  resultsHash: text('results_hash').notNull(),
  createdAt: createdAt(),
});

/** What the chair published: results, microdata, and the signed publication record. Public. */
export const publications = pgTable('publications', {
  campaignId: campaignRef().primaryKey(),
  results: jsonb('results').$type<Record<string, unknown>>().notNull(),
  microdata: jsonb('microdata').$type<Record<string, unknown>>().notNull(),
  record: jsonb('record').$type<Record<string, unknown>>().notNull(),
  /** Ed25519 signature of the canonical JSON of `record`, by the chair's key; base64. */
  signature: text('signature').notNull(),
  createdAt: createdAt(),
});
