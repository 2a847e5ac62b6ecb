import { asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { auditLog } from '../db/schema.js';
import type { ChainedEntry } from './chain.js';

// Any constant shared by every instance: appends are serialised so the chain has one head.
const AUDIT_LOCK = 727_002;

export async function lockChain(tx: Db): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
}

export async function lastEntry(tx: Db): Promise<{ seq: number; hash: string } | undefined> {
  const [row] = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.seq))
    .limit(1);
  return row;
}

export async function insertEntry(tx: Db, entry: ChainedEntry): Promise<void> {
  await tx.insert(auditLog).values(entry);
}

export async function entriesAfter(db: Db, seq: number, limit: number): Promise<ChainedEntry[]> {
  return db.select().from(auditLog).where(gt(auditLog.seq, seq)).orderBy(asc(auditLog.seq)).limit(limit);
}

export async function recentEntries(db: Db, options: { campaignId?: string; before?: number; limit: number }): Promise<ChainedEntry[]> {
  const conditions = [];
  if (options.campaignId) conditions.push(eq(auditLog.campaignId, options.campaignId));
  if (options.before) conditions.push(sql`${auditLog.seq} < ${options.before}`);
  return db
    .select()
    .from(auditLog)
    .where(conditions.length ? sql.join(conditions, sql` and `) : undefined)
    .orderBy(desc(auditLog.seq))
    .limit(options.limit);
}
