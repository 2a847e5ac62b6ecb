import { recordAudit } from '../audit/index.js';
import { findCampaign } from '../campaigns/queries.js';
import type { Db } from '../db/client.js';
import type { callOutcome } from '../db/schema.js';
import { vietnamDay } from '../i18n/format.js';
import { ok, refuse, type Result } from '../result.js';
import { accessCodeFor, formatCode, type CodeKeys } from '../sampling/access-codes.js';
import * as q from './queries.js';
import { unitNames } from './service.js';

export type CallOutcome = (typeof callOutcome.enumValues)[number];
export const CALL_OUTCOMES: readonly CallOutcome[] = ['later', 'noAnswer', 'refused', 'wrongNumber'];

export interface CallRow {
  id: string;
  taxCode: string;
  name: string;
  phone: string;
  units: string[];
  code: string;
  /** The latest call noted, if any. */
  note?: { outcome: CallOutcome; day: string; calls: number } | undefined;
}

/**
 * The enumerators' call list: each business with a unit still to answer (of `unit`, when given) — its phone
 * from the frame, those units, its access code, to type in the answers it gives on the phone, and the last
 * call noted. Never an answer. Audited as the letters are: who, how many codes.
 */
export async function callList(db: Db, keys: CodeKeys, actor: string, campaignId: string, unit?: string): Promise<CallRow[]> {
  const names = await unitNames(db, campaignId);
  const rows = await q.invitationDetails(db, campaignId, { pending: { unit } });
  const notes = await q.latestCallNotes(db, campaignId);
  await db.transaction((tx) => recordAudit(tx, { actor, action: 'invitations.codes_revealed', campaignId, details: { via: 'call-list', codes: rows.length, ...(unit ? { unit } : {}) } }));
  return rows.map((r) => ({ id: r.id, taxCode: r.taxCode, name: r.name, phone: r.phone, units: r.pending.map((c) => names.get(c) ?? c), code: formatCode(accessCodeFor(keys, r.id)), note: notes.get(r.id) }));
}

/**
 * Notes a call's outcome for a business still to answer, during fieldwork (docs/design.md §5). Stored with
 * the day only; the audit says that a call was noted, not for whom or how it went — beside the enumerators'
 * phone entries, either would tell who answered by phone.
 */
export async function noteCall(db: Db, actor: string, campaignId: string, invitationId: string, outcome: CallOutcome, now = new Date()): Promise<Result<undefined>> {
  const campaign = await findCampaign(db, campaignId);
  if (!campaign) return refuse({ key: 'campaigns.notFound' });
  if (campaign.state !== 'fieldwork') return refuse({ key: 'calls.onlyInFieldwork' });
  const [pending] = await q.invitationDetails(db, campaignId, { ids: [invitationId], pending: {} });
  if (!pending) return refuse({ key: 'calls.nothingPending' });
  await db.transaction(async (tx) => {
    await q.upsertCallNote(tx, invitationId, outcome, vietnamDay(now));
    await recordAudit(tx, { actor, action: 'calls.noted', campaignId });
  });
  return ok(undefined);
}
