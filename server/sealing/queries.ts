import { and, asc, eq, gt, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { campaignKeys, campaigns, committeeMembers, keyShares, memberKeys, staffUsers, unsealApprovals } from '../db/schema.js';

export type MemberKeyRow = typeof memberKeys.$inferSelect;
export type CampaignKeyRow = typeof campaignKeys.$inferSelect;

export async function findMemberKeys(db: Db, staffId: string): Promise<MemberKeyRow | undefined> {
  const [row] = await db.select().from(memberKeys).where(eq(memberKeys.staffId, staffId));
  return row;
}

export async function insertMemberKeys(db: Db, row: typeof memberKeys.$inferInsert): Promise<boolean> {
  const inserted = await db.insert(memberKeys).values(row).onConflictDoNothing().returning({ staffId: memberKeys.staffId });
  return inserted.length === 1;
}

/** The campaign's committee in a stable order, with each member's public keys where they exist. */
export function committeeWithKeys(db: Db, campaignId: string) {
  return db
    .select({
      staffId: staffUsers.id,
      username: staffUsers.username,
      displayName: staffUsers.displayName,
      role: staffUsers.role,
      encryptionPublic: memberKeys.encryptionPublic,
      fingerprint: memberKeys.fingerprint,
    })
    .from(committeeMembers)
    .innerJoin(staffUsers, eq(committeeMembers.staffId, staffUsers.id))
    .leftJoin(memberKeys, eq(memberKeys.staffId, staffUsers.id))
    .where(eq(committeeMembers.campaignId, campaignId))
    .orderBy(asc(staffUsers.username));
}

export async function campaignThreshold(db: Db, campaignId: string) {
  const [row] = await db
    .select({ state: campaigns.state, threshold: campaigns.committeeThreshold })
    .from(campaigns)
    .where(eq(campaigns.id, campaignId));
  return row;
}

export async function findCampaignKey(db: Db, campaignId: string): Promise<CampaignKeyRow | undefined> {
  const [row] = await db.select().from(campaignKeys).where(eq(campaignKeys.campaignId, campaignId));
  return row;
}

export async function insertCampaignKey(db: Db, row: typeof campaignKeys.$inferInsert): Promise<void> {
  await db.insert(campaignKeys).values(row);
}

export async function insertShares(db: Db, rows: (typeof keyShares.$inferInsert)[]): Promise<void> {
  await db.insert(keyShares).values(rows);
}

export async function findShare(db: Db, campaignId: string, staffId: string) {
  const [row] = await db
    .select()
    .from(keyShares)
    .where(and(eq(keyShares.campaignId, campaignId), eq(keyShares.staffId, staffId)));
  return row;
}

export async function upsertApproval(db: Db, row: typeof unsealApprovals.$inferInsert): Promise<void> {
  await db
    .insert(unsealApprovals)
    .values(row)
    .onConflictDoUpdate({ target: [unsealApprovals.campaignId, unsealApprovals.staffId], set: { sealedShare: row.sealedShare, expiresAt: row.expiresAt, createdAt: sql`now()` } });
}

/** The campaign's approvals still in time, earliest expiry first; lapsed ones are deleted on the way. */
export async function liveApprovals(db: Db, campaignId: string) {
  await db.delete(unsealApprovals).where(and(eq(unsealApprovals.campaignId, campaignId), lte(unsealApprovals.expiresAt, sql`now()`)));
  return db
    .select({ staffId: unsealApprovals.staffId, sealedShare: unsealApprovals.sealedShare, expiresAt: unsealApprovals.expiresAt })
    .from(unsealApprovals)
    .where(and(eq(unsealApprovals.campaignId, campaignId), gt(unsealApprovals.expiresAt, sql`now()`)))
    .orderBy(asc(unsealApprovals.expiresAt), asc(unsealApprovals.staffId));
}

export async function deleteApprovals(db: Db, campaignId: string): Promise<void> {
  await db.delete(unsealApprovals).where(eq(unsealApprovals.campaignId, campaignId));
}
