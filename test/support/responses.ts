import { eq } from 'drizzle-orm';
import { pendingResponses, responses } from '../../server/db/schema.js';
import { openFromMixing } from '../../server/sealing/index.js';
import type { TestApp } from './app.js';

/**
 * A campaign's envelopes, stored or still pending — the pending ones taken out of the mixing layer with the
 * app's key, as the mixer does — so a test can find a respondent's receipt (SHA-256 of the envelope).
 */
export async function storedEnvelopes(t: Pick<TestApp, 'db' | 'mixKey'>, campaignId: string) {
  const stored = await t.db.select().from(responses).where(eq(responses.campaignId, campaignId));
  const pending = await t.db.select().from(pendingResponses).where(eq(pendingResponses.campaignId, campaignId));
  return [
    ...stored.map((r) => ({ ...r, pending: false })),
    ...pending.map(({ sealed, envelope, ...row }) => ({ ...row, envelope: sealed ? openFromMixing(t.mixKey, campaignId, sealed) : envelope!, pending: true })),
  ];
}
