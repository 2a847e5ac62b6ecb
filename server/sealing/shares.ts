import type { KeyObject } from 'node:crypto';
import { combine, split } from 'shamir-secret-sharing';
import {
  fingerprint,
  generateX25519,
  KEY_BYTES,
  openSealed,
  rawPrivate,
  rawPublic,
  SealingError,
  sealTo,
  x25519PrivateFromRaw,
} from './primitives.js';

/**
 * The key ceremony: a campaign X25519 key pair whose private key is split by Shamir's scheme over GF(2^8)
 * (privy-io/shamir-secret-sharing, audited by Cure53 and Zellic) into n shares, any k of which rebuild it.
 * Each share is sealed to one member's X25519 key, bound to the campaign, the member and the campaign key.
 */
export const SHARE_TAG = 'DDCI-SHARE/1 split=Shamir-GF256(privy-io/shamir-secret-sharing) kem=X25519 kdf=HKDF-SHA-256(32) aead=AES-256-GCM(96-bit nonce)';
const TAG = Buffer.from(SHARE_TAG, 'ascii');

export interface ShareRecipient {
  memberId: string;
  encryptionPublic: Buffer;
}

export interface CeremonyOutput {
  campaignPublic: Buffer;
  fingerprint: string;
  shares: { memberId: string; index: number; sealed: Buffer }[];
}

function shareContext(campaignId: string, memberId: string, campaignPublic: Buffer): Buffer {
  return Buffer.concat([TAG, Buffer.from(`|${campaignId}|${memberId}|`, 'utf8'), campaignPublic]);
}

/** A member opens its share with its unlocked X25519 key; any other campaign, member or key fails. */
export function openShare(sealed: Buffer, memberKey: KeyObject, campaignId: string, memberId: string, campaignPublic: Buffer): Buffer {
  return openSealed(memberKey, sealed, shareContext(campaignId, memberId, campaignPublic));
}

/** Generates the campaign key, splits and seals it, and forgets the private key before returning. */
export async function runCeremony(campaignId: string, recipients: ShareRecipient[], threshold: number): Promise<CeremonyOutput> {
  if (threshold < 2 || threshold > recipients.length) throw new SealingError('format', 'need 2 ≤ k ≤ n');
  const pair = generateX25519();
  const campaignPublic = pair.publicRaw;
  const raw = rawPrivate(pair.privateKey);
  // Plain Uint8Array copies: the library checks `instanceof Uint8Array`, which a Buffer from another realm fails.
  const secret = new Uint8Array(raw);
  raw.fill(0);
  let parts: Uint8Array[] = [];
  try {
    parts = await split(secret, recipients.length, threshold);
    return {
      campaignPublic,
      fingerprint: fingerprint(campaignPublic),
      shares: recipients.map((r, i) => ({
        memberId: r.memberId,
        index: i + 1,
        sealed: sealTo(r.encryptionPublic, Buffer.from(parts[i]!), shareContext(campaignId, r.memberId, campaignPublic)),
      })),
    };
  } finally {
    secret.fill(0);
    for (const p of parts) p.fill(0);
  }
}

/** Rebuilds the campaign private key from k opened shares and checks it against the public key, so a
 * corrupted or foreign share is refused instead of yielding a wrong key. */
export async function rebuildCampaignKey(shares: Buffer[], campaignPublic: Buffer): Promise<KeyObject> {
  let secret: Uint8Array | undefined;
  const copies = shares.map((s) => new Uint8Array(s));
  try {
    secret = await combine(copies);
    if (secret.length !== KEY_BYTES) throw new SealingError('key-mismatch', 'shares do not rebuild a campaign key');
    const key = x25519PrivateFromRaw(secret);
    if (!rawPublic(key).equals(campaignPublic)) {
      throw new SealingError('key-mismatch', 'the shares rebuild a key that does not match the campaign public key');
    }
    return key;
  } catch (error) {
    if (error instanceof SealingError) throw error;
    throw new SealingError('key-mismatch', 'the shares cannot be combined');
  } finally {
    secret?.fill(0);
    for (const c of copies) c.fill(0);
  }
}
