import { createHash } from 'node:crypto';

/** Pure hash-chain rules of the audit log (no I/O). */

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  campaignId: string | null;
  subject: string | null;
  details: Record<string, unknown>;
}

export interface ChainedEntry extends AuditEntry {
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every depth, so the same entry always hashes the same, whatever
 * order PostgreSQL's jsonb hands the keys back in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return '{' + entries.map(([k, v]) => JSON.stringify(k) + ':' + canonicalJson(v)).join(',') + '}';
  }
  return JSON.stringify(value);
}

/** hash = hex(SHA-256(prevHash ‖ "\n" ‖ canonicalJson(entry))), the entry's time in ISO-8601 UTC. */
export function entryHash(prevHash: string, entry: AuditEntry): string {
  const { seq, at, actor, action, campaignId, subject, details } = entry; // exactly these, whatever else the row holds
  const body = canonicalJson({ seq, at: at.toISOString(), actor, action, campaignId, subject, details });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export type ChainBreak = { seq: number; reason: 'sequence' | 'link' | 'hash'; expected: string; found: string };

/** Checks entries given in ascending order, continuing from `previous` (the last good entry, if any).
 * Returns the first break, or null. */
export function findBreak(entries: readonly ChainedEntry[], previous: { seq: number; hash: string } | null): ChainBreak | null {
  let prevSeq = previous?.seq ?? 0;
  let prevHash = previous?.hash ?? GENESIS_HASH;
  for (const e of entries) {
    if (e.seq !== prevSeq + 1) return { seq: e.seq, reason: 'sequence', expected: String(prevSeq + 1), found: String(e.seq) };
    if (e.prevHash !== prevHash) return { seq: e.seq, reason: 'link', expected: prevHash, found: e.prevHash };
    const hash = entryHash(e.prevHash, e);
    if (hash !== e.hash) return { seq: e.seq, reason: 'hash', expected: hash, found: e.hash };
    prevSeq = e.seq;
    prevHash = e.hash;
  }
  return null;
}

/** Keys that must never reach the log: the log is public to observers and outlives every secret. */
const FORBIDDEN_KEY = /pass(word|phrase)|secret|private|share|answer|response_?id|token|access_?code/i;

export function assertNoSecrets(details: unknown, path = 'details'): void {
  if (Array.isArray(details)) details.forEach((v, i) => assertNoSecrets(v, `${path}[${i}]`));
  else if (details !== null && typeof details === 'object') {
    for (const [k, v] of Object.entries(details)) {
      if (FORBIDDEN_KEY.test(k)) throw new Error(`audit entry refused: ${path}.${k} looks like a secret or an answer`);
      assertNoSecrets(v, `${path}.${k}`);
    }
  }
}
