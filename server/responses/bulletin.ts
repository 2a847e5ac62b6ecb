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
}

export function buildBulletin(campaignId: string, entries: { unitCode: string; receipt: string }[]): { content: BulletinContent; hash: string } {
  const counts: Record<string, number> = {};
  for (const e of [...entries].sort((a, b) => a.unitCode.localeCompare(b.unitCode))) counts[e.unitCode] = (counts[e.unitCode] ?? 0) + 1;
  const content = { format: BULLETIN_FORMAT, campaign: campaignId, counts, receipts: entries.map((e) => e.receipt).sort() };
  return { content, hash: bulletinHash(content) };
}

export function bulletinHash(content: BulletinContent): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}
