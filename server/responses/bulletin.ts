import { createHash } from 'node:crypto';
import { canonicalJson } from '../scoring/microdata.js';

/**
 * The bulletin of a closed campaign (DDCI-BULLETIN/1): responses per unit and the sorted receipts
 * (SHA-256 of each stored ciphertext); its hash is SHA-256 of the canonical JSON. Pure.
 */
export const BULLETIN_FORMAT = 'DDCI-BULLETIN/1';

export interface BulletinContent {
  format: string;
  campaign: string;
  counts: Record<string, number>;
  receipts: string[];
  /**
   * Online answers that came in a way staff could have produced them, per signal (server/auth/staff-traces.ts):
   * counts only. Absent in bulletins published before the signals were counted.
   */
  staffSignals?: Record<string, number>;
}

/** `counts`: responses per unit (from the invitations' flags: stored rows do not name their unit). */
export function buildBulletin(campaignId: string, counts: Record<string, number>, receipts: string[], staffSignals: Record<string, number>): { content: BulletinContent; hash: string } {
  const sortedCounts = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
  const content = { format: BULLETIN_FORMAT, campaign: campaignId, counts: sortedCounts, receipts: [...receipts].sort(), staffSignals };
  return { content, hash: bulletinHash(content) };
}

export function bulletinHash(content: BulletinContent): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/**
 * A bulletin's receipts, each to be matched by exactly one stored envelope (unsealing's check, which then
 * needs every receipt taken): 32 bytes each in one buffer, found through an open-addressing table keyed by
 * their first four bytes, which SHA-256 spreads evenly — about 40 bytes a receipt, where a Map of hex
 * strings takes four times as much (a million responses: 40 MB against 170 MB).
 */
export class ReceiptLedger {
  private readonly digests: Buffer;
  /** Receipt index + 1, or 0 for an empty slot. */
  private readonly slots: Uint32Array;
  private readonly taken: Uint8Array;
  private readonly mask: number;
  private left: number;

  constructor(receipts: readonly string[]) {
    this.digests = Buffer.alloc(receipts.length * 32);
    this.taken = new Uint8Array(receipts.length);
    this.left = receipts.length;
    let size = 16;
    while (size < receipts.length * 2) size *= 2;
    this.slots = new Uint32Array(size);
    this.mask = size - 1;
    receipts.forEach((receipt, i) => {
      // A receipt that is not 64 hex digits matches no envelope: it stays left, and the check fails.
      if (!/^[0-9a-f]{64}$/.test(receipt)) return;
      this.digests.write(receipt, i * 32, 'hex');
      let slot = this.digests.readUInt32BE(i * 32) & this.mask;
      while (this.slots[slot]) slot = (slot + 1) & this.mask;
      this.slots[slot] = i + 1;
    });
  }

  /** Takes one receipt equal to `digest` (SHA-256 of a stored envelope); false when none is left. */
  take(digest: Buffer): boolean {
    for (let slot = digest.readUInt32BE(0) & this.mask; this.slots[slot]; slot = (slot + 1) & this.mask) {
      const i = this.slots[slot]! - 1;
      if (!this.taken[i] && this.digests.compare(digest, 0, 32, i * 32, i * 32 + 32) === 0) {
        this.taken[i] = 1;
        this.left--;
        return true;
      }
    }
    return false;
  }

  /** Every receipt taken. */
  get complete(): boolean {
    return this.left === 0;
  }
}
