import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { callNotes, dailyAnswerCounts, invitations, invitationUnits, mailRuns, sampleEntries } from '../db/schema.js';

export async function countInvitations(db: Db, campaignId: string): Promise<{ invitations: number; units: number }> {
  const [row] = (
    (await db.execute(sql`
      select count(distinct i.id)::int as invitations, count(u.unit_code)::int as units
      from ${invitations} i left join ${invitationUnits} u on u.invitation_id = i.id and u.status <> 'replaced'
      where i.campaign_id = ${campaignId}`)) as unknown as { rows: { invitations: number; units: number }[] }
  ).rows;
  return row!;
}

/** Sampled businesses (not reserves) with the units each was drawn for. */
export async function sampledBusinesses(db: Db, campaignId: string): Promise<{ taxCode: string; units: string[] }[]> {
  return (
    (await db.execute(sql`
      select tax_code as "taxCode", array_agg(distinct unit_code order by unit_code) as units
      from ${sampleEntries} where campaign_id = ${campaignId} and role = 'sample' group by tax_code order by tax_code`)) as unknown as {
      rows: { taxCode: string; units: string[] }[];
    }
  ).rows;
}

export async function insertInvitations(tx: Db, campaignId: string, rows: { id: string; taxCode: string; codeHash: string; units: string[] }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    const batch = rows.slice(i, i + 5000);
    await tx.execute(sql`
      insert into ${invitations} (id, campaign_id, tax_code, code_hash)
      select id, ${campaignId}, tax_code, code_hash from unnest(${sql.param(batch.map((r) => r.id))}::text[],
        ${sql.param(batch.map((r) => r.taxCode))}::text[], ${sql.param(batch.map((r) => r.codeHash))}::text[]) as t(id, tax_code, code_hash)`);
    const pairs = batch.flatMap((r) => r.units.map((unit) => [r.id, unit] as const));
    await tx.execute(sql`
      insert into ${invitationUnits} (invitation_id, unit_code)
      select * from unnest(${sql.param(pairs.map((p) => p[0]))}::text[], ${sql.param(pairs.map((p) => p[1]))}::text[])`);
  }
}

export interface InvitationDetail {
  id: string;
  taxCode: string;
  name: string;
  address: string;
  email: string;
  phone: string;
  units: string[];
  pending: string[];
  emailsSent: number;
  lastEmailedAt: Date | null;
  smsSent: number;
  lastSmsAt: Date | null;
}

/** Invitations with the business's contact details and the units still in play, in tax-code order. */
/** `pending`: only invitations with a unit still to answer (of `unit`, when given). */
export async function invitationDetails(db: Db, campaignId: string, options: { offset?: number; limit?: number; ids?: string[]; pending?: { unit?: string } } = {}): Promise<InvitationDetail[]> {
  const pending = options.pending;
  return (
    (await db.execute(sql`
      select i.id, i.tax_code as "taxCode", b.name, b.address, b.email, b.phone, i.emails_sent as "emailsSent",
             i.last_emailed_at as "lastEmailedAt", i.sms_sent as "smsSent", i.last_sms_at as "lastSmsAt",
             array_agg(u.unit_code order by u.unit_code) as units,
             coalesce(array_agg(u.unit_code order by u.unit_code) filter (where u.status = 'invited'), '{}') as pending
      from ${invitations} i
      join frame_businesses b on b.campaign_id = i.campaign_id and b.tax_code = i.tax_code
      join ${invitationUnits} u on u.invitation_id = i.id and u.status <> 'replaced'
      where i.campaign_id = ${campaignId} ${options.ids ? sql`and i.id in ${options.ids}` : sql``}
      group by i.id, b.name, b.address, b.email, b.phone
      ${pending ? sql`having count(*) filter (where u.status = 'invited' ${pending.unit ? sql`and u.unit_code = ${pending.unit}` : sql``}) > 0` : sql``}
      order by i.tax_code offset ${options.offset ?? 0} limit ${options.limit ?? 1_000_000}`)) as unknown as { rows: InvitationDetail[] }
  ).rows.map((r) => ({ ...r, lastEmailedAt: r.lastEmailedAt ? new Date(r.lastEmailedAt) : null, lastSmsAt: r.lastSmsAt ? new Date(r.lastSmsAt) : null }));
}

/** Counts one more message of `channel` to each invitation, sent at `at`. */
export async function markSent(db: Db, channel: 'email' | 'sms', ids: string[], at: Date): Promise<void> {
  if (!ids.length) return;
  await db
    .update(invitations)
    .set(channel === 'email' ? { emailsSent: sql`${invitations.emailsSent} + 1`, lastEmailedAt: at } : { smsSent: sql`${invitations.smsSent} + 1`, lastSmsAt: at })
    .where(inArray(invitations.id, ids));
}

/** The open (unanswered, not replaced) invitation of a business for a unit, locked. */
export async function openInvitationUnit(tx: Db, campaignId: string, taxCode: string, unitCode: string) {
  const [row] = (
    (await tx.execute(sql`
      select u.invitation_id as "invitationId" from ${invitationUnits} u join ${invitations} i on i.id = u.invitation_id
      where i.campaign_id = ${campaignId} and i.tax_code = ${taxCode} and u.unit_code = ${unitCode} and u.status = 'invited'
      for update of u`)) as unknown as { rows: { invitationId: string }[] }
  ).rows;
  return row;
}

export async function setUnitStatus(tx: Db, invitationId: string, unitCode: string, status: 'invited' | 'answered' | 'replaced'): Promise<void> {
  await tx
    .update(invitationUnits)
    .set({ status })
    .where(and(eq(invitationUnits.invitationId, invitationId), eq(invitationUnits.unitCode, unitCode)));
}

export async function findInvitationOf(tx: Db, campaignId: string, taxCode: string) {
  const [row] = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.campaignId, campaignId), eq(invitations.taxCode, taxCode)));
  return row;
}

export async function addInvitationUnit(tx: Db, invitationId: string, unitCode: string): Promise<void> {
  await tx
    .insert(invitationUnits)
    .values({ invitationId, unitCode })
    .onConflictDoUpdate({ target: [invitationUnits.invitationId, invitationUnits.unitCode], set: { status: 'invited' } });
}

/** Invited and answered per unit (replaced invitations no longer count). */
export async function ratesByUnit(db: Db, campaignId: string): Promise<{ unitCode: string; invited: number; answered: number }[]> {
  return (
    (await db.execute(sql`
      select u.unit_code as "unitCode", count(*)::int as invited, count(*) filter (where u.status = 'answered')::int as answered
      from ${invitationUnits} u join ${invitations} i on i.id = u.invitation_id
      where i.campaign_id = ${campaignId} and u.status <> 'replaced' group by 1 order by 1`)) as unknown as {
      rows: { unitCode: string; invited: number; answered: number }[];
    }
  ).rows;
}

export function dailyCounts(db: Db, campaignId: string) {
  return db
    .select({ unitCode: dailyAnswerCounts.unitCode, day: dailyAnswerCounts.day, answers: dailyAnswerCounts.answers })
    .from(dailyAnswerCounts)
    .where(eq(dailyAnswerCounts.campaignId, campaignId))
    .orderBy(dailyAnswerCounts.day);
}

export type MailRun = typeof mailRuns.$inferSelect;

/** Starts a sending; false when another sending of the campaign is running (the partial unique index). */
export async function insertMailRun(db: Db, row: typeof mailRuns.$inferInsert): Promise<boolean> {
  return (await db.insert(mailRuns).values(row).onConflictDoNothing().returning({ id: mailRuns.id })).length === 1;
}

export async function updateMailRun(db: Db, id: string, values: Partial<typeof mailRuns.$inferInsert>): Promise<void> {
  await db.update(mailRuns).set(values).where(eq(mailRuns.id, id));
}

export async function latestMailRun(db: Db, campaignId: string): Promise<MailRun | undefined> {
  const [row] = await db.select().from(mailRuns).where(eq(mailRuns.campaignId, campaignId)).orderBy(sql`${mailRuns.createdAt} desc`).limit(1);
  return row;
}

export interface FoundInvitation {
  id: string;
  taxCode: string;
  name: string;
  address: string;
  units: { code: string; status: 'invited' | 'answered' | 'replaced' }[];
}

/** Invitations whose tax code starts with `term` or whose business name contains it (any case), in tax-code order. */
export async function searchInvitations(db: Db, campaignId: string, term: string, limit: number): Promise<FoundInvitation[]> {
  const escaped = term.replace(/[\\%_]/g, (c) => `\\${c}`);
  return (
    (await db.execute(sql`
      select i.id, i.tax_code as "taxCode", b.name, b.address,
             json_agg(json_build_object('code', u.unit_code, 'status', u.status) order by u.unit_code) as units
      from ${invitations} i
      join frame_businesses b on b.campaign_id = i.campaign_id and b.tax_code = i.tax_code
      join ${invitationUnits} u on u.invitation_id = i.id
      where i.campaign_id = ${campaignId} and (i.tax_code like ${escaped + '%'} or b.name ilike ${'%' + escaped + '%'})
      group by i.id, b.name, b.address
      order by i.tax_code limit ${limit}`)) as unknown as { rows: FoundInvitation[] }
  ).rows;
}

/** The print batches: `perPage` letters each in tax-code order, with the first and last tax code of each. */
export async function letterBatches(db: Db, campaignId: string, perPage: number): Promise<{ page: number; first: string; last: string; letters: number }[]> {
  return (
    (await db.execute(sql`
      select ((n - 1) / ${perPage})::int as page, min(tax_code) as first, max(tax_code) as last, count(*)::int as letters
      from (select tax_code, row_number() over (order by tax_code) as n from ${invitations} where campaign_id = ${campaignId}) numbered
      group by 1 order by 1`)) as unknown as { rows: { page: number; first: string; last: string; letters: number }[] }
  ).rows;
}

/** The latest call noted per invitation of a campaign. */
export async function latestCallNotes(db: Db, campaignId: string) {
  const rows = await db
    .select({ id: callNotes.invitationId, outcome: callNotes.outcome, day: callNotes.day, calls: callNotes.calls })
    .from(callNotes)
    .innerJoin(invitations, eq(invitations.id, callNotes.invitationId))
    .where(eq(invitations.campaignId, campaignId));
  return new Map(rows.map(({ id, ...note }) => [id, note]));
}

/** One more call to an invitation: its outcome and day replace the last, the count goes up. */
export async function upsertCallNote(tx: Db, invitationId: string, outcome: (typeof callNotes.$inferInsert)['outcome'], day: string): Promise<void> {
  await tx
    .insert(callNotes)
    .values({ invitationId, outcome, day })
    .onConflictDoUpdate({ target: callNotes.invitationId, set: { outcome, day, calls: sql`${callNotes.calls} + 1` } });
}
