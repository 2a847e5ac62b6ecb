import { index, integer, jsonb, pgEnum, pgTable, text } from 'drizzle-orm/pg-core';
import { bytea, createdAt } from './columns.js';
import { campaignRef } from './core.js';

export const responseMode = pgEnum('response_mode', ['online', 'phone', 'paper', 'in_person']);

/** The columns of a response, the same while pending and once moved. */
const responseColumns = () => ({
  id: text('id').primaryKey(),
  campaignId: campaignRef(),
  unitCode: text('unit_code').notNull(),
  questionnaire: text('questionnaire').notNull(),
  mode: responseMode('mode').notNull(),
  envelope: bytea('envelope').notNull(),
});

/**
 * A sealed response: a random id, the campaign, the unit, the questionnaire version, the mode and the
 * envelope — nothing else (DESIGN §6): no invitation, no business, no time. The receipt a respondent gets
 * is SHA-256 of the envelope, so it needs no column. Rows arrive here only from `pending_responses`, moved
 * in shuffled batches, so neither their transaction ids nor their order match the submissions'.
 */
export const responses = pgTable('responses', responseColumns(), (t) => [index('responses_campaign_unit_idx').on(t.campaignId, t.unitCode)]);

/** Envelopes just submitted, written in the submission's transaction; the mixer empties it (same columns). */
export const pendingResponses = pgTable('pending_responses', responseColumns(), (t) => [index('pending_responses_campaign_idx').on(t.campaignId)]);

/**
 * What makes a retried submission idempotent: a keyed hash of (invitation, unit, form nonce) and the
 * receipt, AES-GCM-sealed under a key derived from the nonce, which only the respondent's form holds. The
 * row names neither the invitation nor the response; without the nonce it opens to nobody.
 */
export const submissionReceipts = pgTable('submission_receipts', {
  nonceHash: text('nonce_hash').primaryKey(),
  campaignId: campaignRef(),
  sealedReceipt: bytea('sealed_receipt').notNull(),
});

/**
 * The bulletin published at close (DDCI-BULLETIN/1): the count of responses per unit and the receipt
 * (SHA-256) of every stored ciphertext, so each respondent can check that its answer is counted, and the
 * unsealing can check that it decrypts exactly these.
 */
export const bulletins = pgTable('bulletins', {
  campaignId: campaignRef().primaryKey(),
  content: jsonb('content').$type<{ format: string; campaign: string; counts: Record<string, number>; receipts: string[] }>().notNull(),
  hash: text('hash').notNull(),
  responses: integer('responses').notNull(),
  createdAt: createdAt(),
});
