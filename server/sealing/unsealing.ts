import { createHmac, type KeyObject } from 'node:crypto';
import type { Db } from '../db/client.js';
import { openEnvelope } from './envelope.js';
import { EnvelopeOpeners, type SealedItem } from './opening.js';
import { aeadDecrypt, aeadEncrypt, rawPrivate, SealingError } from './primitives.js';
import * as q from './queries.js';
import { rebuildCampaignKey } from './shares.js';

/** What a successful unsealing hands its caller: it opens envelopes, and nothing else, while alive. */
export interface Decryptor {
  open(envelope: Buffer, context: string): Buffer;
  /** Opens many, in order, on worker threads (opening.ts); the caller zeroes the plaintexts once read. */
  openAll(items: readonly SealedItem[]): Promise<Buffer[]>;
}

const APPROVAL_TAG = 'DDCI-APPROVAL/1 aead=AES-256-GCM(96-bit nonce)';

/** approval key = HMAC-SHA-256(server secret, "ddci/unseal-approval/v1"): every instance derives it, no database holds it. */
export function approvalKey(hmacSecret: string): Buffer {
  return createHmac('sha256', hmacSecret).update('ddci/unseal-approval/v1').digest();
}

const aad = (campaignId: string, memberId: string, expiresAt: Date) => Buffer.from(`${APPROVAL_TAG}|${campaignId}|${memberId}|${expiresAt.toISOString()}`, 'utf8');

/**
 * The committee's approvals of unsealing, shared by every app instance through the database: each
 * approving member's opened share, sealed under the approval key, for a bounded time. With k of them the
 * campaign key is rebuilt inside `withDecryptor`, lent to the caller as a decryptor, and every approval of
 * the campaign is deleted — and the key and shares dropped from memory — when it returns.
 *
 * A sealed approval is bound to its campaign, member and expiry (the AEAD's associated data): it cannot be
 * moved to another campaign or member, or made to last longer, by editing the row.
 */
export class UnsealingRegistry {
  constructor(
    private readonly db: Db,
    private readonly key: Buffer,
    private readonly ttlMs: number,
  ) {}

  /** Holds a member's opened share (replacing an earlier one), zeroes the caller's copy, returns the approvals now held. */
  async hold(campaignId: string, memberId: string, share: Buffer): Promise<number> {
    const expiresAt = new Date(Date.now() + this.ttlMs);
    const sealedShare = aeadEncrypt(this.key, share, aad(campaignId, memberId, expiresAt));
    share.fill(0);
    await q.upsertApproval(this.db, { campaignId, staffId: memberId, sealedShare, expiresAt });
    return (await this.approvals(campaignId)).length;
  }

  /** Who approved, and when each approval lapses, earliest first (lapsed ones are deleted here). */
  async approvals(campaignId: string): Promise<{ memberId: string; expiresAt: Date }[]> {
    return (await q.liveApprovals(this.db, campaignId)).map((a) => ({ memberId: a.staffId, expiresAt: a.expiresAt }));
  }

  async approvers(campaignId: string): Promise<string[]> {
    return (await this.approvals(campaignId)).map((a) => a.memberId);
  }

  dropAll(campaignId: string): Promise<void> {
    return q.deleteApprovals(this.db, campaignId);
  }

  /**
   * Rebuilds the campaign key from the live approvals (at least `threshold`), lends `work` a decryptor, and
   * deletes the approvals and drops the key and shares when `work` settles — or when the rebuild fails.
   */
  async withDecryptor<T>(campaignId: string, threshold: number, campaignPublic: Buffer, work: (decryptor: Decryptor) => Promise<T>): Promise<T> {
    const rows = await q.liveApprovals(this.db, campaignId);
    if (rows.length < threshold) {
      throw new SealingError('quorum', `${rows.length} of the ${threshold} approvals needed are held`);
    }
    const shares: Buffer[] = [];
    let key: KeyObject | undefined;
    let openers: EnvelopeOpeners | undefined;
    let alive = true;
    const live = () => {
      if (!alive) throw new SealingError('expired', 'this decryptor was dropped when its unsealing ended');
      return key!;
    };
    try {
      for (const row of rows) shares.push(aeadDecrypt(this.key, row.sealedShare, aad(campaignId, row.staffId, row.expiresAt)));
      key = await rebuildCampaignKey(shares, campaignPublic);
      return await work({
        open: (envelope, context) => openEnvelope(envelope, live(), campaignPublic, context),
        openAll: async (items) => {
          const current = live();
          openers ??= new EnvelopeOpeners(rawPrivate(current), campaignPublic);
          return openers.open(items);
        },
      });
    } finally {
      alive = false;
      key = undefined; // the KeyObject's memory belongs to OpenSSL; dropping the last reference frees it
      for (const share of shares) share.fill(0);
      await openers?.close(); // the threads' copies of the key end with them
      await this.dropAll(campaignId);
    }
  }
}
