import type { Db } from '../db/client.js';
import { assertNoSecrets, entryHash, findBreak, GENESIS_HASH, type ChainBreak } from './chain.js';
import { entriesAfter, insertEntry, lastEntry, lockChain } from './queries.js';

export interface AuditRecord {
  /** Who acted: a staff username, `system`, or `cli`. */
  actor: string;
  /** Dotted verb, e.g. `campaign.transition`. */
  action: string;
  campaignId?: string | null;
  subject?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Appends one entry. Call it inside the transaction that makes the change it records, so both commit
 * or neither does; the advisory lock held to the end of that transaction keeps the chain linear.
 */
export async function recordAudit(tx: Db, record: AuditRecord, now: Date = new Date()): Promise<void> {
  const details = record.details ?? {};
  assertNoSecrets(details);
  await lockChain(tx);
  const last = await lastEntry(tx);
  const entry = {
    seq: (last?.seq ?? 0) + 1,
    at: now,
    actor: record.actor,
    action: record.action,
    campaignId: record.campaignId ?? null,
    subject: record.subject ?? null,
    details,
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  await insertEntry(tx, { ...entry, prevHash, hash: entryHash(prevHash, entry) });
}

export type VerifyResult = { ok: true; count: number } | ({ ok: false; count: number } & ChainBreak);

/** Walks the whole chain in pages and reports the first broken entry. */
export async function verifyAuditLog(db: Db, pageSize = 2000): Promise<VerifyResult> {
  let previous: { seq: number; hash: string } | null = null;
  let count = 0;
  for (;;) {
    const page = await entriesAfter(db, previous?.seq ?? 0, pageSize);
    if (page.length === 0) return { ok: true, count };
    const broken = findBreak(page, previous);
    if (broken) return { ok: false, count: count + page.findIndex((e) => e.seq === broken.seq), ...broken };
    count += page.length;
    const tail = page[page.length - 1]!;
    previous = { seq: tail.seq, hash: tail.hash };
  }
}
