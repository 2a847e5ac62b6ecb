import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { campaigns, committeeMembers, staffUsers, unitLinks, units, type LetterSettings } from '../db/schema.js';
import type { CampaignState } from './lifecycle.js';

export type CampaignRow = typeof campaigns.$inferSelect;
export type UnitRow = typeof units.$inferSelect;

export function listCampaigns(db: Db): Promise<CampaignRow[]> {
  return db.select().from(campaigns).orderBy(desc(campaigns.year), asc(campaigns.province));
}

export async function findCampaign(db: Db, id: string): Promise<CampaignRow | undefined> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id));
  return row;
}

/** Reads the campaign and locks its row to the end of the transaction: state checks then hold. */
export async function lockCampaign(tx: Db, id: string): Promise<CampaignRow | undefined> {
  const [row] = await tx.select().from(campaigns).where(eq(campaigns.id, id)).for('update');
  return row;
}

export async function findCampaignByProvinceYear(db: Db, province: string, year: number): Promise<CampaignRow | undefined> {
  const [row] = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.province, province), eq(campaigns.year, year)));
  return row;
}

export async function insertCampaign(db: Db, values: typeof campaigns.$inferInsert): Promise<void> {
  await db.insert(campaigns).values(values);
}

export async function updateCommittee(db: Db, id: string, size: number, threshold: number): Promise<void> {
  await db
    .update(campaigns)
    .set({ committeeSize: size, committeeThreshold: threshold, updatedAt: new Date() })
    .where(eq(campaigns.id, id));
}

export async function updateReportHeader(db: Db, id: string, issuer: string | null, title: string | null): Promise<boolean> {
  const updated = await db.update(campaigns).set({ reportIssuer: issuer, reportTitle: title, updatedAt: new Date() }).where(eq(campaigns.id, id)).returning({ id: campaigns.id });
  return updated.length > 0;
}

/** Moves the state only if it is still `from`; returns whether it moved. */
export async function updateLetterSettings(db: Db, id: string, settings: LetterSettings): Promise<boolean> {
  const updated = await db.update(campaigns).set({ letterSettings: settings, updatedAt: new Date() }).where(eq(campaigns.id, id)).returning({ id: campaigns.id });
  return updated.length === 1;
}

export async function updateState(db: Db, id: string, from: CampaignState, to: CampaignState): Promise<boolean> {
  const moved = await db
    .update(campaigns)
    .set({ state: to, updatedAt: new Date() })
    .where(and(eq(campaigns.id, id), eq(campaigns.state, from)))
    .returning({ id: campaigns.id });
  return moved.length === 1;
}

export function listUnits(db: Db, campaignId: string): Promise<UnitRow[]> {
  return db.select().from(units).where(eq(units.campaignId, campaignId)).orderBy(asc(units.block), asc(units.code));
}

export async function unitCount(db: Db, campaignId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(units).where(eq(units.campaignId, campaignId));
  return row?.n ?? 0;
}

/** Which units of last year's campaign each unit continues, ordered by unit then last year's code. */
export function listUnitLinks(db: Db, campaignId: string): Promise<{ code: string; previous: string }[]> {
  return db
    .select({ code: unitLinks.code, previous: unitLinks.previousCode })
    .from(unitLinks)
    .where(eq(unitLinks.campaignId, campaignId))
    .orderBy(asc(unitLinks.code), asc(unitLinks.previousCode));
}

export async function replaceUnitLinks(db: Db, campaignId: string, links: { code: string; previous: string }[]): Promise<void> {
  await db.delete(unitLinks).where(eq(unitLinks.campaignId, campaignId));
  if (links.length) await db.insert(unitLinks).values(links.map((l) => ({ campaignId, code: l.code, previousCode: l.previous })));
}

export async function insertUnits(db: Db, rows: (typeof units.$inferInsert)[]): Promise<void> {
  if (rows.length) await db.insert(units).values(rows);
}

export async function deleteUnit(db: Db, campaignId: string, unitId: string): Promise<string | undefined> {
  const [row] = await db
    .delete(units)
    .where(and(eq(units.campaignId, campaignId), eq(units.id, unitId)))
    .returning({ code: units.code });
  return row?.code;
}

/** Active accounts that may sit on a committee. */
export function committeeCandidates(db: Db) {
  return db
    .select({ id: staffUsers.id, username: staffUsers.username, displayName: staffUsers.displayName, role: staffUsers.role })
    .from(staffUsers)
    .where(and(inArray(staffUsers.role, ['member', 'chair']), eq(staffUsers.disabled, false)))
    .orderBy(asc(staffUsers.username));
}

export async function committeeIds(db: Db, campaignId: string): Promise<string[]> {
  const rows = await db.select({ id: committeeMembers.staffId }).from(committeeMembers).where(eq(committeeMembers.campaignId, campaignId));
  return rows.map((r) => r.id);
}

export async function replaceCommittee(db: Db, campaignId: string, staffIds: string[]): Promise<void> {
  await db.delete(committeeMembers).where(eq(committeeMembers.campaignId, campaignId));
  if (staffIds.length) await db.insert(committeeMembers).values(staffIds.map((staffId) => ({ campaignId, staffId })));
}
