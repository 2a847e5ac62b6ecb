import { index, integer, jsonb, pgEnum, pgTable, text } from 'drizzle-orm/pg-core';
import { bytea, createdAt } from './columns.js';
import { campaignRef } from './core.js';

export const responseMode = pgEnum('response_mode', ['online', 'phone', 'paper', 'in_person']);

/**
 * The columns of a response. Envelopes sealed since DDCI-ANSWERS/3 carry their unit, questionnaire and mode
 * inside and leave these columns empty; older rows name them.
 */
const responseColumns = () => ({
  id: text('id').primaryKey(),
  campaignId: campaignRef(),
  unitCode: text('unit_code'),
  questionnaire: text('questionnaire'),
  mode: responseMode('mode'),
  /** Pending rows since the mixing layer hold `sealed` instead. */
  envelope: bytea('envelope'),
});

/**
 * A sealed response: a random id, the campaign and the envelope (unit, questionnaire and mode inside it) —
 * nothing else (docs/design.md §6): no invitation, no business, no time. The receipt a respondent gets is SHA-256 of
 * the envelope, so it needs no column. Rows arrive here only from `pending_responses`, taken out of the
 * mixing layer at close, all in one shuffled batch under fresh ids, so neither their bytes, ids, transaction ids nor order
 * match the submissions'.
 */
export const responses = pgTable('responses', { ...responseColumns(), envelope: bytea('envelope').notNull() }, (t) => [
  index('responses_campaign_unit_idx').on(t.campaignId, t.unitCode),
  // Unsealing reads a campaign's envelopes in id order, a page at a time: with (campaign, id) each page is
  // an index range, not a scan and sort of the whole campaign (≈ 0.2 s a page at a million, stats or not).
  index('responses_campaign_id_idx').on(t.campaignId, t.id),
]);

/**
 * Envelopes just submitted, written in the submission's transaction; the mixer empties it. A row holds a
 * random id and its envelope sealed again under the mixing key (`sealed`, server/sealing/mixing.ts); rows
 * written before that layer existed hold the envelope itself and name their unit.
 */
export const pendingResponses = pgTable('pending_responses', { ...responseColumns(), sealed: bytea('sealed') }, (t) => [
  index('pending_responses_campaign_idx').on(t.campaignId, t.id), // the mix reads them in id order, a page at a time
]);

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
  content: jsonb('content').$type<{ format: string; campaign: string; counts: Record<string, number>; receipts: string[]; staffSignals?: Record<string, number> }>().notNull(),
  hash: text('hash').notNull(),
  responses: integer('responses').notNull(),
  createdAt: createdAt(),
});
