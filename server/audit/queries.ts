import { and, asc, desc, eq, gt, gte, lt, sql } from 'drizzle-orm';
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

/** What the audit page and its CSV can narrow the log to; `from` and `to` are instants (to exclusive). */
export interface AuditFilter {
  actor?: string | undefined;
  action?: string | undefined;
  campaignId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

export async function recentEntries(db: Db, options: AuditFilter & { before?: number; limit: number }): Promise<ChainedEntry[]> {
  const conditions = [
    options.actor ? eq(auditLog.actor, options.actor) : undefined,
    options.action ? eq(auditLog.action, options.action) : undefined,
    options.campaignId ? eq(auditLog.campaignId, options.campaignId) : undefined,
    options.from ? gte(auditLog.at, options.from) : undefined,
    options.to ? lt(auditLog.at, options.to) : undefined,
    options.before ? lt(auditLog.seq, options.before) : undefined,
  ];
  return db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.seq))
    .limit(options.limit);
}

/** Everyone who appears in the log, for the actor filter. */
export async function auditActors(db: Db): Promise<string[]> {
  return (await db.selectDistinct({ actor: auditLog.actor }).from(auditLog).orderBy(asc(auditLog.actor))).map((r) => r.actor);
}

/** When a campaign entered each stage (the audit log's record of each move), first time only. */
export async function stageTimes(db: Db, campaignId: string): Promise<Partial<Record<string, Date>>> {
  const rows = await db
    .select({ at: auditLog.at, details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.campaignId, campaignId), eq(auditLog.action, 'campaign.transition')))
    .orderBy(asc(auditLog.seq));
  const times: Partial<Record<string, Date>> = {};
  for (const row of rows) {
    const to = (row.details as { to?: string }).to;
    if (to && !times[to]) times[to] = row.at;
  }
  return times;
}
