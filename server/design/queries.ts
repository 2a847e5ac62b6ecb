import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { campaigns, surveyVersions } from '../db/schema.js';

export type VersionRow = typeof surveyVersions.$inferSelect;
export type VersionKind = 'questionnaire' | 'methodology';

export function listVersions(db: Db): Promise<VersionRow[]> {
  return db.select().from(surveyVersions).orderBy(asc(surveyVersions.kind), asc(surveyVersions.key));
}

export async function findVersion(db: Db, kind: VersionKind, key: string): Promise<VersionRow | undefined> {
  const [row] = await db.select().from(surveyVersions).where(and(eq(surveyVersions.kind, kind), eq(surveyVersions.key, key)));
  return row;
}

/** Reads a version and locks it to the end of the transaction (saves and the approval then hold). */
export async function lockVersion(tx: Db, kind: VersionKind, key: string): Promise<VersionRow | undefined> {
  const [row] = await tx.select().from(surveyVersions).where(and(eq(surveyVersions.kind, kind), eq(surveyVersions.key, key))).for('update');
  return row;
}

export async function insertVersion(db: Db, values: typeof surveyVersions.$inferInsert): Promise<void> {
  await db.insert(surveyVersions).values(values);
}

/** Only a draft changes (the database refuses any change to an approved version). */
export async function updateDraft(db: Db, kind: VersionKind, key: string, document: Record<string, unknown>, hash: string, now: Date): Promise<void> {
  await db
    .update(surveyVersions)
    .set({ document, hash, updatedAt: now })
    .where(and(eq(surveyVersions.kind, kind), eq(surveyVersions.key, key), eq(surveyVersions.status, 'draft')));
}

export async function markApproved(db: Db, kind: VersionKind, key: string, values: { approvedBy: string; approvedAt: Date; approval?: Record<string, unknown>; signature?: string }): Promise<void> {
  await db
    .update(surveyVersions)
    .set({ status: 'approved', ...values })
    .where(and(eq(surveyVersions.kind, kind), eq(surveyVersions.key, key), eq(surveyVersions.status, 'draft')));
}

/** The campaigns that pinned a methodology version. */
export function campaignsPinning(db: Db, version: string): Promise<{ id: string; title: string; state: string }[]> {
  return db.select({ id: campaigns.id, title: campaigns.title, state: campaigns.state }).from(campaigns).where(eq(campaigns.methodologyVersion, version));
}
