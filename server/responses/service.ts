import { randomBytes } from 'node:crypto';
import { nanoid } from 'nanoid';
import { sql } from 'drizzle-orm';
import { recordAudit } from '../audit/index.js';
import { findCampaign } from '../campaigns/queries.js';
import type { Db } from '../db/client.js';
import type { Message } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import type { Catalog, Questionnaire } from '../questionnaires/index.js';
import { codeHash, normaliseCode, type CodeKeys } from '../sampling/access-codes.js';
import { nonceHash, openReceipt, receiptOf, responseContext, responseSealer, sealReceipt, type EnvelopeSealer } from '../sealing/index.js';
import { answersFromForm, checkAnswers, type AnswerErrors } from './answers.js';
import * as q from './queries.js';

export const RESPONSE_MODES = ['online', 'phone', 'paper', 'in_person'] as const;
export type ResponseMode = (typeof RESPONSE_MODES)[number];

/**
 * Envelopes wait in `pending_responses` until this many have arrived, then move to `responses` together in
 * random order: a response row then shares its transaction id with at least this many others, not with
 * the invitation flag it was written with. Closing fieldwork moves whatever is left.
 */
export const MIX_BATCH = 25;

export interface SurveyContext {
  db: Db;
  catalog: Catalog;
  codeKeys: CodeKeys;
  submissionKey: Buffer;
  logger: Logger;
}

/** An invitation opened by its access code: null for a wrong code and for a used-up one alike. */
export async function openByCode(db: Db, keys: CodeKeys, typed: string): Promise<{ invitationId: string; campaignId: string } | null> {
  const code = normaliseCode(typed);
  const invitation = code && (await q.findInvitationByCodeHash(db, codeHash(keys, code)));
  if (!invitation) return null;
  const open = (await q.invitedUnits(db, invitation.id)).some((u) => u.status === 'invited');
  return open ? { invitationId: invitation.id, campaignId: invitation.campaignId } : null;
}

/** The campaign and the units of an invitation, or null when the invitation is gone. */
export async function surveyOverview(db: Db, invitationId: string) {
  const invitation = await q.findInvitation(db, invitationId);
  const campaign = invitation && (await findCampaign(db, invitation.campaignId));
  if (!campaign) return null;
  return { campaign, units: await q.invitedUnits(db, invitationId) };
}

type Campaign = NonNullable<Awaited<ReturnType<typeof findCampaign>>>;

/** The questionnaire version a campaign pinned for a unit type. */
export function pinnedQuestionnaire(catalog: Catalog, campaign: Campaign, kind: 'department' | 'district'): Questionnaire {
  const key = kind === 'department' ? campaign.departmentQuestionnaire : campaign.districtQuestionnaire;
  const questionnaire = catalog.questionnaires.get(key);
  if (!questionnaire) throw new Error(`campaign ${campaign.id} pins questionnaire ${key}, which is not installed`);
  return questionnaire;
}

/** What a form carries so that a retry of the same form is recognised: 128 random bits. */
export const newNonce = () => randomBytes(16).toString('base64url');
const NONCE = /^[A-Za-z0-9_-]{22}$/;

export interface Submission {
  invitationId: string;
  unitCode: string;
  nonce: string;
  mode: ResponseMode;
  body: Record<string, unknown>;
  /** The enumerator who typed the answers in, if any. */
  enumerator?: string;
}

export type SubmitOutcome =
  | { ok: true; receipt: string; repeated: boolean }
  | { ok: false; errors: AnswerErrors }
  | { ok: false; refusal: Message };

const refusal = (key: Message['key']): SubmitOutcome => ({ ok: false, refusal: { key } });

/** The calendar day in Việt Nam, for the per-day counter. */
const vietnamDay = (now: Date) => now.toLocaleDateString('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' });

export function campaignClosedMessage(state: string): Message['key'] | null {
  if (state === 'fieldwork') return null;
  return state === 'draft' || state === 'sampling' ? 'survey.notOpen' : 'survey.closed';
}

/** Seals and stores one answered form; see DESIGN §6 for what is stored and what is not. */
export function responseService(ctx: SurveyContext) {
  const { db, catalog, logger } = ctx;
  const sealers = new Map<string, Promise<EnvelopeSealer>>(); // a campaign key never changes once made

  async function sealerFor(campaignId: string): Promise<EnvelopeSealer> {
    let sealer = sealers.get(campaignId);
    if (!sealer) {
      sealer = responseSealer(db, campaignId);
      sealers.set(campaignId, sealer);
      sealer.catch(() => sealers.delete(campaignId));
    }
    return sealer;
  }

  async function earlierReceipt(hash: string, nonce: string): Promise<string | null> {
    const row = await q.findReceipt(db, hash);
    return row ? openReceipt(nonce, row.sealedReceipt) : null;
  }

  async function submit(s: Submission, now = new Date()): Promise<SubmitOutcome> {
    if (!NONCE.test(s.nonce)) return refusal('survey.formExpired');
    const overview = await surveyOverview(db, s.invitationId);
    const unit = overview?.units.find((u) => u.unitCode === s.unitCode);
    if (!overview || !unit) return refusal('survey.unitNotInvited');
    const { campaign } = overview;
    const hash = nonceHash(ctx.submissionKey, s.invitationId, s.unitCode, s.nonce);
    const repeated = await earlierReceipt(hash, s.nonce);
    if (repeated) return { ok: true, receipt: repeated, repeated: true };

    const closed = campaignClosedMessage(campaign.state);
    if (closed) return refusal(closed);
    if (unit.status !== 'invited') return refusal(unit.status === 'answered' ? 'survey.alreadyAnswered' : 'survey.unitReplaced');

    const questionnaire = pinnedQuestionnaire(catalog, campaign, unit.kind);
    const key = `${questionnaire.id}-${questionnaire.version}`;
    const checked = checkAnswers(questionnaire, catalog.answerValidator(key), answersFromForm(questionnaire, s.body));
    if (!checked.ok) return checked;

    const envelope = (await sealerFor(campaign.id))(Buffer.from(JSON.stringify(checked.answers), 'utf8'), responseContext(campaign.id, s.unitCode, key));
    const receipt = receiptOf(envelope);
    const stored = await db.transaction(async (tx): Promise<SubmitOutcome> => {
      const state = await q.campaignStateForShare(tx, campaign.id);
      const closedNow = campaignClosedMessage(state ?? 'closed');
      if (closedNow) return refusal(closedNow);
      if (!(await q.markAnswered(tx, s.invitationId, s.unitCode))) return refusal('survey.alreadyAnswered');
      await q.insertPending(tx, { id: nanoid(), campaignId: campaign.id, unitCode: s.unitCode, questionnaire: key, mode: s.mode, envelope });
      await q.insertReceipt(tx, { nonceHash: hash, campaignId: campaign.id, sealedReceipt: sealReceipt(s.nonce, receipt) });
      await q.countAnswerOfDay(tx, campaign.id, s.unitCode, vietnamDay(now));
      if (s.enumerator) {
        // The act, never the business or the response: who typed in an answer, in which mode.
        await recordAudit(tx, { actor: s.enumerator, action: 'responses.entered', campaignId: campaign.id, details: { mode: s.mode } }, now);
      }
      return { ok: true, receipt, repeated: false };
    });
    if (!stored.ok && 'refusal' in stored && stored.refusal.key === 'survey.alreadyAnswered') {
      // A concurrent submit of this very form won the race: answer as its retry would be answered.
      const winner = await earlierReceipt(hash, s.nonce);
      if (winner) return { ok: true, receipt: winner, repeated: true };
    }
    if (stored.ok) await mixWhenFull(campaign.id);
    return stored;
  }

  async function mixWhenFull(campaignId: string): Promise<void> {
    try {
      if ((await q.countPending(db, campaignId)) < MIX_BATCH) return;
      await mixPending(db, campaignId);
    } catch (err) {
      logger.error({ err, campaignId }, 'mixing pending responses failed; they stay pending and move at the next batch or at close');
    }
  }

  return { submit };
}

/**
 * Moves a campaign's pending envelopes into `responses` in random order (one mixer at a time per
 * campaign), then vacuums the pending table so the rows written with the invitation flags are gone
 * from the heap too.
 */
export async function mixPending(db: Db, campaignId: string): Promise<number> {
  const moved = await db.transaction(async (tx) => {
    const [lock] = (
      (await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext('ddci-mix:' || ${campaignId})) as got`)) as unknown as { rows: { got: boolean }[] }
    ).rows;
    return lock?.got ? q.movePending(tx, campaignId) : 0;
  });
  if (moved > 0) await db.execute(sql`vacuum pending_responses`);
  return moved;
}

export { movePending } from './queries.js';
