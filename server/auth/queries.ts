import { and, asc, eq, gt, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { sessions, staffAddresses, staffUsers } from '../db/schema.js';
import type { Role, StaffPrincipal } from './policy.js';

export type StaffRow = typeof staffUsers.$inferSelect;

const principalColumns = {
  id: staffUsers.id,
  username: staffUsers.username,
  displayName: staffUsers.displayName,
  role: staffUsers.role,
  mustChangePassword: staffUsers.mustChangePassword,
  unitCodes: staffUsers.unitCodes,
};

export async function findStaffByUsername(db: Db, username: string): Promise<StaffRow | undefined> {
  const [row] = await db.select().from(staffUsers).where(eq(staffUsers.username, username));
  return row;
}

export async function findStaffById(db: Db, id: string): Promise<StaffRow | undefined> {
  const [row] = await db.select().from(staffUsers).where(eq(staffUsers.id, id));
  return row;
}

export function listStaff(db: Db): Promise<StaffRow[]> {
  return db.select().from(staffUsers).orderBy(asc(staffUsers.role), asc(staffUsers.username));
}

export async function countStaff(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(staffUsers);
  return row?.n ?? 0;
}

export async function insertStaff(
  db: Db,
  values: { id: string; username: string; displayName: string; role: Role; email: string | null; passwordHash: string; unitCodes: string[] },
): Promise<void> {
  await db.insert(staffUsers).values({ ...values, mustChangePassword: true });
}

export async function updateStaff(
  db: Db,
  id: string,
  values: Partial<Pick<StaffRow, 'passwordHash' | 'mustChangePassword' | 'disabled' | 'passwordChangedAt'>>,
): Promise<void> {
  await db.update(staffUsers).set(values).where(eq(staffUsers.id, id));
}

export async function insertSession(db: Db, tokenHash: string, userId: string, expiresAt: Date): Promise<void> {
  await db.insert(sessions).values({ tokenHash, userId, expiresAt });
}

/** The live session's staff member; disabled accounts and expired sessions find nothing. */
export async function findSessionPrincipal(
  db: Db,
  tokenHash: string,
  now: Date,
): Promise<(StaffPrincipal & { expiresAt: Date }) | undefined> {
  const [row] = await db
    .select({ ...principalColumns, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(staffUsers, eq(sessions.userId, staffUsers.id))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now), eq(staffUsers.disabled, false)));
  return row;
}

export async function extendSession(db: Db, tokenHash: string, expiresAt: Date): Promise<void> {
  await db.update(sessions).set({ expiresAt }).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

/** Ends a user's sessions, optionally keeping the one in use. */
export async function deleteUserSessions(db: Db, userId: string, keepTokenHash?: string): Promise<void> {
  const condition = keepTokenHash
    ? and(eq(sessions.userId, userId), ne(sessions.tokenHash, keepTokenHash))
    : eq(sessions.userId, userId);
  await db.delete(sessions).where(condition);
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
}

export async function upsertStaffAddress(db: Db, addressHash: string, now: Date): Promise<void> {
  await db
    .insert(staffAddresses)
    .values({ addressHash, lastSeen: now })
    .onConflictDoUpdate({ target: staffAddresses.addressHash, set: { lastSeen: sql`excluded.last_seen` } });
}

export async function recentStaffAddressHashes(db: Db, since: Date): Promise<string[]> {
  return (await db.select({ hash: staffAddresses.addressHash }).from(staffAddresses).where(gt(staffAddresses.lastSeen, since))).map((r) => r.hash);
}
