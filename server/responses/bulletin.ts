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
