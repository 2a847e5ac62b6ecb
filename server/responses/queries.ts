import { and, eq, gt, sql } from 'drizzle-orm';
import { hotStatement, type Db } from '../db/client.js';
import { answerSignals, bulletins, campaigns, dailyAnswerCounts, invitations, invitationUnits, pendingResponses, responses, sampleEntries, submissionReceipts, units } from '../db/schema.js';

type Rows<T> = { rows: T[] };

export async function findInvitationByCodeHash(db: Db, codeHash: string) {
  const [row] = await db
    .select({ id: invitations.id, campaignId: invitations.campaignId })
    .from(invitations)
    .where(eq(invitations.codeHash, codeHash));
  return row;
}

export interface InvitedUnit {
  unitCode: string;
  block: string;
  nameVi: string;
  nameEn: string;
  status: 'invited' | 'answered' | 'replaced';
  /** The size band the business was drawn in for this unit (its stratum); null if it has no sample entry. */
  stratum: string | null;
}

/** An invitation's campaign and units (replaced ones included: the page says they are closed), in one query. */
export async function invitationOverview(db: Db, invitationId: string) {
  const stratum = sql<string | null>`(select ${sampleEntries.sizeBand} from ${sampleEntries}
    where ${sampleEntries.campaignId} = ${invitations.campaignId} and ${sampleEntries.taxCode} = ${invitations.taxCode} and ${sampleEntries.unitCode} = ${invitationUnits.unitCode} limit 1)`;
  const rows = await db
    .select({ campaign: campaigns, unitCode: invitationUnits.unitCode, block: units.block, nameVi: units.nameVi, nameEn: units.nameEn, status: invitationUnits.status, stratum })
    .from(invitationUnits)
    .innerJoin(invitations, eq(invitations.id, invitationUnits.invitationId))
    .innerJoin(campaigns, eq(campaigns.id, invitations.campaignId))
    .innerJoin(units, and(eq(units.campaignId, invitations.campaignId), eq(units.code, invitationUnits.unitCode)))
    .where(eq(invitationUnits.invitationId, invitationId))
    .orderBy(units.block, units.code);
  const [first] = rows;
  if (!first) return null;
  return { campaign: first.campaign, units: rows.map(({ campaign: _, ...unit }): InvitedUnit => unit) };
}

/** A campaign and the block of each of its units. */
export async function campaignUnits(db: Db, campaignId: string) {
  const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, campaignId));
  if (!campaign) return null;
  const blocks = await db.select({ code: units.code, block: units.block }).from(units).where(eq(units.campaignId, campaignId));
  return { campaign, blocks: new Map(blocks.map((u) => [u.code, u.block])) };
}

export interface StoredSubmission {
  campaignId: string;
  invitationId: string;
  unitCode: string;
  /** The envelope under the mixing layer (server/sealing/mixing.ts), with a random id of its own. */
  pendingId: string;
  sealed: Buffer;
  nonceHash: string;
  sealedReceipt: Buffer;
  day: string;
  /** Ways staff could have produced this answer (server/auth/staff-traces.ts): counted, never stored with it. */
  signals: readonly string[];
}

const store = (name: keyof StoredSubmission) => sql.placeholder(name);
const storing = hotStatement<{ written: number }>(
  'store_submission',
  sql`
    with campaign as (select state from ${campaigns} where id = ${store('campaignId')} for share),
    flag as (
      update ${invitationUnits} set status = 'answered'
      where invitation_id = ${store('invitationId')} and unit_code = ${store('unitCode')} and status = 'invited'
        and (select state from campaign) = 'fieldwork'
        and exists (select 1 from ${invitations} where id = ${store('invitationId')} and campaign_id = ${store('campaignId')})
      returning 1),
    pending as (
      insert into ${pendingResponses} (id, campaign_id, sealed)
      select ${store('pendingId')}, ${store('campaignId')}, ${store('sealed')}::bytea from flag
      returning 1),
    receipt as (
      insert into ${submissionReceipts} (nonce_hash, campaign_id, sealed_receipt)
      select ${store('nonceHash')}, ${store('campaignId')}, ${store('sealedReceipt')}::bytea from flag
      returning 1),
    counted as (
      insert into ${dailyAnswerCounts} (campaign_id, unit_code, day, answers)
      select ${store('campaignId')}, ${store('unitCode')}, ${store('day')}, 1 from flag
      on conflict (campaign_id, unit_code, day) do update set answers = ${dailyAnswerCounts}.answers + 1
      returning 1),
    signalled as (
      insert into ${answerSignals} (campaign_id, signal, answers)
      select ${store('campaignId')}, signal, 1 from flag, unnest(${store('signals')}::text[]) as signal
      on conflict (campaign_id, signal) do update set answers = ${answerSignals}.answers + 1
      returning 1)
    select (select count(*) from pending)::int + (select count(*) from receipt)::int + (select count(*) from counted)::int as written`,
);

/**
 * Stores one answered form in a single statement (one round trip, atomic, prepared once per connection):
 * share-locks the campaign row (closing waits for submissions in flight) and, only while it is in
 * fieldwork, flips the invitation's flag from invited to answered — of two concurrent submits one flips it,
 * the other sees it answered — and, only if the flag flipped, writes the pending envelope, the nonce-keyed
 * receipt, the day's count and the campaign's count of each staff signal the answer carries.
 * The pending row shares the flag's transaction id, and so holds nothing the stored response will: a random
 * id and the envelope under the mixing layer (see movePending).
 */
export async function storeSubmission(db: Db, s: StoredSubmission): Promise<boolean> {
  const [row] = await storing(db, { ...s });
  return row?.written === 3;
}

/**
 * One page of a campaign's pending rows in id order, after `after` (keyset paging): what the mixer reads.
 * The order is the table's own, so the statements say nothing the table does not.
 */
export async function pendingPage(db: Db, campaignId: string, after: string | null, limit: number) {
  return db
    .select()
    .from(pendingResponses)
    .where(after === null ? eq(pendingResponses.campaignId, campaignId) : and(eq(pendingResponses.campaignId, campaignId), gt(pendingResponses.id, after)))
    .orderBy(pendingResponses.id)
    .limit(limit);
}

/**
 * Fresh planner statistics once the mix has stored a campaign's responses at once: with the table's counts
 * from before, every page unsealing reads would be planned as a scan and sort of the whole campaign
 * (≈ 0.2 s a page at a million responses, 116 s to read them all instead of 29 s).
 */
export async function refreshResponseStatistics(tx: Db): Promise<void> {
  await tx.execute(sql`analyze ${responses}`);
}

/** Removes every pending row of a campaign, in one statement. */
export async function clearPending(tx: Db, campaignId: string): Promise<void> {
  await tx.delete(pendingResponses).where(eq(pendingResponses.campaignId, campaignId));
}

export type NewResponse = typeof responses.$inferInsert;

/** Stores responses in the order given (the mixer has shuffled them). */
export async function insertResponses(tx: Db, rows: NewResponse[]): Promise<void> {
  if (rows.length) await tx.insert(responses).values(rows);
}

/** Answers stored per unit, from the invitations' flags (exactly one per stored response). */
export async function answeredPerUnit(db: Db, campaignId: string): Promise<Record<string, number>> {
  const rows = await db
    .select({ unitCode: invitationUnits.unitCode, n: sql<number>`count(*)::int` })
    .from(invitationUnits)
    .innerJoin(invitations, eq(invitations.id, invitationUnits.invitationId))
    .where(and(eq(invitations.campaignId, campaignId), eq(invitationUnits.status, 'answered')))
    .groupBy(invitationUnits.unitCode)
    .orderBy(invitationUnits.unitCode);
  return Object.fromEntries(rows.map((r) => [r.unitCode, r.n]));
}

export async function findReceipt(db: Db, nonceHash: string) {
  const [row] = await db.select().from(submissionReceipts).where(eq(submissionReceipts.nonceHash, nonceHash));
  return row;
}

/** Removes dead pending rows (the copies written with the invitation flags) from the table's pages. */
export async function vacuumPending(db: Db): Promise<void> {
  await db.execute(sql`vacuum pending_responses`);
}

/** Every stored response's receipt (SHA-256 of its envelope, computed by the database). */
export async function receiptsOf(db: Db, campaignId: string): Promise<string[]> {
  return (
    (await db.execute(sql`select encode(sha256(envelope), 'hex') as receipt from ${responses} where campaign_id = ${campaignId}`)) as unknown as Rows<{ receipt: string }>
  ).rows.map((r) => r.receipt);
}

/** The campaign's count of answers per staff signal. */
export async function signalCounts(db: Db, campaignId: string): Promise<Record<string, number>> {
  const rows = await db.select({ signal: answerSignals.signal, answers: answerSignals.answers }).from(answerSignals).where(eq(answerSignals.campaignId, campaignId));
  return Object.fromEntries(rows.map((r) => [r.signal, r.answers]));
}

export async function insertBulletin(db: Db, row: typeof bulletins.$inferInsert): Promise<void> {
  await db.insert(bulletins).values(row);
}

export async function findBulletin(db: Db, campaignId: string) {
  const [row] = await db.select().from(bulletins).where(eq(bulletins.campaignId, campaignId));
  return row;
}
