import type { KeyObject } from 'node:crypto';
import { openEnvelope } from './envelope.js';
import { SealingError } from './primitives.js';
import { rebuildCampaignKey } from './shares.js';

/** What a successful unsealing hands its caller: it opens envelopes, and nothing else, while alive. */
export interface Decryptor {
  open(envelope: Buffer, context: string): Buffer;
}

interface HeldShare {
  share: Buffer;
  timer: NodeJS.Timeout;
  expiresAt: Date;
}

/**
 * Committee approvals of one process: each approving member's decrypted share, held in memory only, for
 * a bounded time, never written anywhere. With k of them the campaign key is rebuilt inside
 * `withDecryptor`, lent to the caller as a decryptor, and every secret is dropped when it returns.
 */
export class UnsealingRegistry {
  private readonly held = new Map<string, Map<string, HeldShare>>();

  constructor(private readonly ttlMs: number) {}

  /** Holds a member's decrypted share (replacing an earlier one) and returns the approvals now held. */
  hold(campaignId: string, memberId: string, share: Buffer): number {
    const shares = this.held.get(campaignId) ?? new Map<string, HeldShare>();
    this.held.set(campaignId, shares);
    this.drop(campaignId, memberId);
    const timer = setTimeout(() => this.drop(campaignId, memberId), this.ttlMs);
    timer.unref();
    shares.set(memberId, { share, timer, expiresAt: new Date(Date.now() + this.ttlMs) });
    return shares.size;
  }

  approvers(campaignId: string): string[] {
    return [...(this.held.get(campaignId)?.keys() ?? [])];
  }

  /** Who approved, and when each approval lapses (its share dropped), earliest first. */
  approvals(campaignId: string): { memberId: string; expiresAt: Date }[] {
    return [...(this.held.get(campaignId)?.entries() ?? [])].map(([memberId, h]) => ({ memberId, expiresAt: h.expiresAt })).sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
  }

  drop(campaignId: string, memberId: string): void {
    const shares = this.held.get(campaignId);
    const entry = shares?.get(memberId);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.share.fill(0);
    shares!.delete(memberId);
  }

  dropAll(campaignId: string): void {
    for (const memberId of this.approvers(campaignId)) this.drop(campaignId, memberId);
    this.held.delete(campaignId);
  }

  /**
   * Rebuilds the campaign key from the held shares (at least `threshold`), lends `work` a decryptor, and
   * drops the key and every share when `work` settles — or when the rebuild fails.
   */
  async withDecryptor<T>(campaignId: string, threshold: number, campaignPublic: Buffer, work: (decryptor: Decryptor) => Promise<T>): Promise<T> {
    const shares = [...(this.held.get(campaignId)?.values() ?? [])].map((h) => h.share);
    if (shares.length < threshold) {
      throw new SealingError('quorum', `${shares.length} of the ${threshold} approvals needed are held`);
    }
    let key: KeyObject | undefined;
    let alive = true;
    try {
      key = await rebuildCampaignKey(shares, campaignPublic);
      const privateKey = key;
      return await work({
        open(envelope, context) {
          if (!alive) throw new SealingError('expired', 'this decryptor was dropped when its unsealing ended');
          return openEnvelope(envelope, privateKey, campaignPublic, context);
        },
      });
    } finally {
      alive = false;
      key = undefined; // the KeyObject's memory belongs to OpenSSL; dropping the last reference frees it
      this.dropAll(campaignId);
    }
  }
}
