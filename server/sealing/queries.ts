import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { campaignKeys, campaigns, committeeMembers, keyShares, memberKeys, staffUsers } from '../db/schema.js';

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
