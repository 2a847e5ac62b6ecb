import { randomBytes, randomInt } from 'node:crypto';
import { nanoid } from 'nanoid';
import { recordAudit } from '../audit/index.js';
import { ANSWER_SIGNALS, type AnswerSignal } from '../auth/index.js';
import type { Db } from '../db/client.js';
import type { Message } from '../i18n/index.js';
import { vietnamDay } from '../i18n/format.js';
import type { Logger } from '../logger.js';
import { blockQuestionnaire, questionnaireKey, type Catalog, type Questionnaire } from '../questionnaires/index.js';
import { codeHash, normaliseCode, type CodeKeys } from '../sampling/access-codes.js';
import { nonceHash, openFromMixing, openReceipt, receiptOf, responseSealer, sealedResponseContext, sealForMixing, sealReceipt, type EnvelopeSealer } from '../sealing/index.js';
import { WHOLE_UNIT } from '../scoring/index.js';
import { answersFromForm, checkAnswers, type AnswerErrors } from './answers.js';
import { buildBulletin } from './bulletin.js';
import { answerPayload } from './payload.js';
import * as q from './queries.js';

/** Invitations whose strata a service keeps (about 200 bytes each). */
const STRATA_KEPT = 50_000;

export const RESPONSE_MODES = ['online', 'phone', 'paper', 'in_person'] as const;
export type ResponseMode = (typeof RESPONSE_MODES)[number];

export interface SurveyContext {
  db: Db;
  catalog: Catalog;
  codeKeys: CodeKeys;
  submissionKey: Buffer;
  /** The mixing layer's key (server/sealing/mixing.ts), derived from the server's secret. */
  mixKey: Buffer;
  logger: Logger;
}

type Campaign = NonNullable<Awaited<ReturnType<typeof q.invitationOverview>>>['campaign'];

/** The questionnaire of a unit's block in the methodology the campaign pinned. */
export function pinnedQuestionnaire(catalog: Catalog, campaign: Campaign, block: string): Questionnaire {
  return blockQuestionnaire(catalog, campaign.methodologyVersion, block);
}

/** What a form carries so that a retry of the same form is recognised: 128 random bits. */
export const newNonce = () => randomBytes(16).toString('base64url');
const NONCE = /^[A-Za-z0-9_-]{22}$/;

export interface Submission {
  campaignId: string;
  invitationId: string;
  unitCode: string;
  nonce: string;
  mode: ResponseMode;
  body: Record<string, unknown>;
  /** The enumerator who typed the answers in, if any. */
  enumerator?: string;
  /** Ways staff could have produced an online answer (server/auth/staff-traces.ts). */
  signals?: readonly AnswerSignal[];
}

export type SubmitOutcome =
  | { ok: true; receipt: string; repeated: boolean }
  | { ok: false; errors: AnswerErrors }
  | { ok: false; refusal: Message };

const refusal = (key: Message['key']): SubmitOutcome => ({ ok: false, refusal: { key } });

/** The calendar day in Việt Nam, for the per-day counter. */

export function campaignClosedMessage(state: string): Message['key'] | null {
  if (state === 'fieldwork') return null;
  return state === 'draft' || state === 'sampling' ? 'survey.notOpen' : 'survey.closed';
}

/** Seals and stores one answered form; see docs/design.md §6 and server/sealing/README.md for what is stored. */
export function responseService(ctx: SurveyContext) {
  const { db, catalog, logger } = ctx;
  const sealers = new Map<string, Promise<EnvelopeSealer>>(); // a campaign key never changes once made

  async function sealerFor(campaignId: string): Promise<EnvelopeSealer> {
    let sealer = sealers.get(campaignId);
    if (!sealer) {
      sealer = responseSealer(db, campaignId, (err) => logger.warn({ err, campaignId }, 'key agreements made ahead failed; each envelope now agrees its own key'));
      sealers.set(campaignId, sealer);
      sealer.catch(() => sealers.delete(campaignId));
    }
    return sealer;
  }

  /** The receipt of an earlier submit of this very form (same invitation, unit and nonce), if any. */
  async function earlierReceipt(hash: string, nonce: string): Promise<string | null> {
    const row = await q.findReceipt(db, hash);
    return row ? openReceipt(nonce, row.sealedReceipt) : null;
  }

  // The strata of the invitations read lately (code entry, units page, form page) — an invitation's never
  // change — so that the submit which follows seals its stratum without a query of its own. The oldest go first.
  const strata = new Map<string, ReadonlyMap<string, string | null>>();

  /** The campaign and the units of an invitation, or null when the invitation is gone. */
  async function overview(invitationId: string) {
    const found = await q.invitationOverview(db, invitationId);
    if (found) {
      strata.delete(invitationId);
      strata.set(invitationId, new Map(found.units.map((u) => [u.unitCode, u.stratum])));
      if (strata.size > STRATA_KEPT) strata.delete(strata.keys().next().value!);
    }
    return found;
  }

  /**
   * An access code typed in: the invitation it opens, `used` for a real code with nothing left to answer
   * (the respondent is told the same as for a wrong code, but it is no guess and is not counted as one),
   * or null for a wrong code.
   */
  async function open(typed: string): Promise<{ invitationId: string; campaignId: string } | 'used' | null> {
    const code = normaliseCode(typed);
    const invitation = code && (await q.findInvitationByCodeHash(db, codeHash(ctx.codeKeys, code)));
    if (!invitation) return null;
    const invited = (await overview(invitation.id))?.units.some((u) => u.status === 'invited');
    return invited ? { invitationId: invitation.id, campaignId: invitation.campaignId } : 'used';
  }

  /** The size band the business was drawn in for a unit, as read with its units (now if not before); undefined if not drawn. */
  async function stratumOf(invitationId: string, unitCode: string): Promise<string | undefined> {
    if (!strata.get(invitationId)?.has(unitCode)) await overview(invitationId);
    return strata.get(invitationId)?.get(unitCode) ?? undefined;
  }

  // Pins and unit blocks never change once a campaign has left its draft: read them once per campaign.
  const campaigns = new Map<string, NonNullable<Awaited<ReturnType<typeof q.campaignUnits>>>>();
  async function campaignOf(campaignId: string) {
    const known = campaigns.get(campaignId);
    if (known) return known;
    const found = await q.campaignUnits(db, campaignId);
    if (found && found.campaign.state !== 'draft') campaigns.set(campaignId, found);
    return found;
  }

  /** Why a form was not stored: the campaign is not open, the unit was answered (or replaced), or never invited. */
  async function notStored(s: Submission, hash: string): Promise<SubmitOutcome> {
    const invitation = await overview(s.invitationId);
    const unit = invitation?.campaign.id === s.campaignId ? invitation.units.find((u) => u.unitCode === s.unitCode) : undefined;
    if (!invitation || !unit) return refusal('survey.unitNotInvited');
    if (unit.status === 'answered') {
      // A retry of the same form gets its receipt again (written with the flag); another answer is refused.
      const receipt = await earlierReceipt(hash, s.nonce);
      return receipt ? { ok: true, receipt, repeated: true } : refusal('survey.alreadyAnswered');
    }
    return refusal(campaignClosedMessage(invitation.campaign.state) ?? (unit.status === 'replaced' ? 'survey.unitReplaced' : 'survey.alreadyAnswered'));
  }

  /**
   * One database round trip on the way in when the business's units were read before (the code entry, the
   * form page): the single storing statement, which checks everything else (campaign open, invitation of this
   * campaign, unit still invited); the answers are checked and sealed with the stratum before it. Only when
   * it stores nothing is the reason looked up.
   */
  async function submit(s: Submission, now = new Date()): Promise<SubmitOutcome> {
    if (!NONCE.test(s.nonce)) return refusal('survey.formExpired');
    const known = await campaignOf(s.campaignId);
    const block = known?.blocks.get(s.unitCode);
    if (!known || !block) return refusal('survey.unitNotInvited');
    const { campaign } = known;
    const hash = nonceHash(ctx.submissionKey, s.invitationId, s.unitCode, s.nonce);

    const questionnaire = pinnedQuestionnaire(catalog, campaign, block);
    const key = questionnaireKey(questionnaire);
    const checked = checkAnswers(questionnaire, catalog.answerValidator(key), answersFromForm(questionnaire, s.body));
    if (!checked.ok) {
      // Say first what no correction would fix: the campaign is not open, the unit is answered.
      const invitation = await overview(s.invitationId);
      const status = invitation?.units.find((u) => u.unitCode === s.unitCode)?.status;
      const closed = invitation && campaignClosedMessage(invitation.campaign.state);
      if (closed) return refusal(closed);
      return status === 'invited' ? checked : notStored(s, hash);
    }

    // The stratum the business was drawn in travels inside the envelope, never in clear (docs/design.md §7).
    const stratum = await stratumOf(s.invitationId, s.unitCode);
    if (!stratum) logger.warn({ campaignId: campaign.id, unit: s.unitCode }, 'an invited unit has no sample entry; its answer is stored without a stratum and the unit is scored as one stratum');
    const sheet = { unit: s.unitCode, questionnaire: key, mode: s.mode, stratum: stratum ?? WHOLE_UNIT, answers: checked.answers };
    const envelope = (await sealerFor(campaign.id))(answerPayload(sheet), sealedResponseContext(campaign.id));
    const receipt = receiptOf(envelope);
    const submission: q.StoredSubmission = {
      campaignId: campaign.id,
      invitationId: s.invitationId,
      unitCode: s.unitCode,
      pendingId: nanoid(),
      sealed: sealForMixing(ctx.mixKey, campaign.id, envelope),
      nonceHash: hash,
      sealedReceipt: sealReceipt(s.nonce, receipt),
      day: vietnamDay(now),
      signals: s.signals ?? [],
    };
    const { enumerator } = s;
    const stored = enumerator
      ? await db.transaction(async (tx) => {
          const stored = await q.storeSubmission(tx, submission);
          // The act, never the business or the response: who typed in an answer, in which mode.
          if (stored) await recordAudit(tx, { actor: enumerator, action: 'responses.entered', campaignId: campaign.id, details: { mode: s.mode } }, now);
          return stored;
        })
      : await q.storeSubmission(db, submission);
    if (!stored) return notStored(s, hash);
    return { ok: true, receipt, repeated: false };
  }

  return { submit, open, overview };
}

/**
 * The mix, once, at close, in the closing transaction: every pending envelope of the campaign moves to
 * `responses` out of the mixing layer, under a fresh id, in an order drawn by a CSPRNG, so that nothing the
 * database stores, writes or is asked ties a stored response to the invitation flag its envelope was
 * written with (docs/design.md §6, server/sealing/README.md).
 *
 * What an operator logging every statement sees of it: reads of the pending rows in id order, a page at a
 * time — a sequence computable from the table alone — then, once a whole group has been read into memory,
 * inserts in the order of a permutation drawn after the last read. Neither which rows a read returned nor
 * the order of the writes depends on the order, time or batching of the submissions. A group is the whole
 * campaign up to MIX_GROUP pending rows (memory: about 4 KiB an envelope), which is then the anonymity set.
 * Rows pending from before the mixing layer keep their unit and questionnaire columns.
 */
async function mixPending(tx: Db, mixKey: Buffer, campaignId: string): Promise<void> {
  let after: string | null = null;
  for (;;) {
    const group: Omit<q.NewResponse, 'id'>[] = [];
    while (group.length < MIX_GROUP) {
      const page = await q.pendingPage(tx, campaignId, after, Math.min(MIX_PAGE, MIX_GROUP - group.length));
      if (!page.length) break;
      after = page[page.length - 1]!.id;
      for (const row of page)
        group.push(
          row.sealed
            ? { campaignId, envelope: openFromMixing(mixKey, campaignId, row.sealed) }
            : { campaignId, unitCode: row.unitCode, questionnaire: row.questionnaire, mode: row.mode, envelope: row.envelope! },
        );
    }
    if (!group.length) break;
    shuffle(group);
    for (let from = 0; from < group.length; from += MIX_PAGE) await q.insertResponses(tx, group.slice(from, from + MIX_PAGE).map((row) => ({ ...row, id: nanoid() })));
    if (group.length < MIX_GROUP) break;
  }
  await q.clearPending(tx, campaignId);
}
/** The anonymity set of the mix at scale: min(campaign, MIX_GROUP) responses. */
const MIX_GROUP = 100_000;
const MIX_PAGE = 500;

/** Fisher–Yates with a CSPRNG: every order equally likely, and none predictable from the database. */
function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

/**
 * At close, in the closing transaction: every pending envelope moves to `responses`, then the bulletin is
 * built from what is stored and published (audited with its hash).
 */
export async function closeFieldwork(tx: Db, actor: string, campaignId: string, mixKey: Buffer): Promise<void> {
  await mixPending(tx, mixKey, campaignId);
  await q.refreshResponseStatistics(tx);
  const signals = await q.signalCounts(tx, campaignId);
  const staffSignals = Object.fromEntries(ANSWER_SIGNALS.map((signal) => [signal, signals[signal] ?? 0]));
  const { content, hash } = buildBulletin(campaignId, await q.answeredPerUnit(tx, campaignId), await q.receiptsOf(tx, campaignId), staffSignals);
  await q.insertBulletin(tx, { campaignId, content, hash, responses: content.receipts.length });
  await recordAudit(tx, { actor, action: 'responses.bulletin_published', campaignId, details: { hash, responses: content.receipts.length, counts: content.counts } });
}

/** Whether a receipt is in a closed campaign's bulletin (null before the bulletin exists). */
export async function receiptInBulletin(db: Db, campaignId: string, receipt: string): Promise<boolean | null> {
  const bulletin = await q.findBulletin(db, campaignId);
  if (!bulletin) return null;
  return bulletin.content.receipts.includes(receipt.trim().toLowerCase().replace(/\s+/g, ''));
}

export { findBulletin } from './queries.js';
