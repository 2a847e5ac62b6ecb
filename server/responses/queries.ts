import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { campaigns, dailyAnswerCounts, invitations, invitationUnits, pendingResponses, responses, submissionReceipts, units } from '../db/schema.js';

type Rows<T> = { rows: T[] };

export async function findInvitationByCodeHash(db: Db, codeHash: string) {
  const [row] = await db
    .select({ id: invitations.id, campaignId: invitations.campaignId })
    .from(invitations)
    .where(eq(invitations.codeHash, codeHash));
  return row;
}

export async function findInvitation(db: Db, id: string) {
  const [row] = await db.select({ id: invitations.id, campaignId: invitations.campaignId }).from(invitations).where(eq(invitations.id, id));
  return row;
}

export interface InvitedUnit {
  unitCode: string;
  kind: 'department' | 'district';
  nameVi: string;
  nameEn: string;
  status: 'invited' | 'answered' | 'replaced';
}

/** The units an invitation covers (replaced ones included: the page says they are closed). */
export async function invitedUnits(db: Db, invitationId: string): Promise<InvitedUnit[]> {
  return (
    (await db.execute(sql`
      select iu.unit_code as "unitCode", u.kind, u.name_vi as "nameVi", u.name_en as "nameEn", iu.status
      from ${invitationUnits} iu
      join ${invitations} i on i.id = iu.invitation_id
      join ${units} u on u.campaign_id = i.campaign_id and u.code = iu.unit_code
      where iu.invitation_id = ${invitationId}
      order by u.kind, u.code`)) as unknown as Rows<InvitedUnit>
  ).rows;
}

/** The campaign's state, share-locked to the end of the transaction: closing waits for submissions in flight. */
export async function campaignStateForShare(tx: Db, campaignId: string) {
  const [row] = await tx.select({ state: campaigns.state }).from(campaigns).where(eq(campaigns.id, campaignId)).for('share');
  return row?.state;
}

/** Marks a unit of an invitation answered, only if it was still open: of two concurrent submits one wins. */
export async function markAnswered(tx: Db, invitationId: string, unitCode: string): Promise<boolean> {
  const updated = await tx
    .update(invitationUnits)
    .set({ status: 'answered' })
    .where(and(eq(invitationUnits.invitationId, invitationId), eq(invitationUnits.unitCode, unitCode), eq(invitationUnits.status, 'invited')))
    .returning({ unitCode: invitationUnits.unitCode });
  return updated.length === 1;
}

export async function insertPending(tx: Db, row: typeof pendingResponses.$inferInsert): Promise<void> {
  await tx.insert(pendingResponses).values(row);
}

export async function insertReceipt(tx: Db, row: typeof submissionReceipts.$inferInsert): Promise<void> {
  await tx.insert(submissionReceipts).values(row);
}

export async function findReceipt(db: Db, nonceHash: string) {
  const [row] = await db.select().from(submissionReceipts).where(eq(submissionReceipts.nonceHash, nonceHash));
  return row;
}

export async function countAnswerOfDay(tx: Db, campaignId: string, unitCode: string, day: string): Promise<void> {
  await tx
    .insert(dailyAnswerCounts)
    .values({ campaignId, unitCode, day, answers: 1 })
    .onConflictDoUpdate({
      target: [dailyAnswerCounts.campaignId, dailyAnswerCounts.unitCode, dailyAnswerCounts.day],
      set: { answers: sql`${dailyAnswerCounts.answers} + 1` },
    });
}

export async function countPending(db: Db, campaignId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(pendingResponses).where(eq(pendingResponses.campaignId, campaignId));
  return row?.n ?? 0;
}

/** Moves every pending envelope of a campaign into `responses`, in random order, in the caller's transaction. */
export async function movePending(tx: Db, campaignId: string): Promise<number> {
  const [row] = (
    (await tx.execute(sql`
      with taken as (delete from ${pendingResponses} where campaign_id = ${campaignId} returning *),
      moved as (
        insert into ${responses} (id, campaign_id, unit_code, questionnaire, mode, envelope)
        select id, campaign_id, unit_code, questionnaire, mode, envelope from taken order by random()
        returning 1)
      select count(*)::int as n from moved`)) as unknown as Rows<{ n: number }>
  ).rows;
  return row?.n ?? 0;
}

export async function countResponses(db: Db, campaignId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(responses).where(eq(responses.campaignId, campaignId));
  return row?.n ?? 0;
}
