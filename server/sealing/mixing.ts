import { createHmac } from 'node:crypto';
import { aeadDecrypt, aeadEncrypt } from './primitives.js';

/**
 * The mixing layer of pending envelopes. A submission's envelope waits in `pending_responses` sealed once
 * more, under a key derived from the server's secret (never in the database), and is stored in `responses`
 * only after the mixer has removed that layer — in a batch, shuffled, under a fresh id. Bytes, ids and
 * lengths of a pending row therefore match no stored response for anyone holding only the database, its
 * files or its WAL; the batch is the anonymity set (server/sealing/README.md).
 *
 *   mixing key = HMAC-SHA-256(server secret, "ddci/pending-mix/v1")
 *   pending    = AES-256-GCM(mixing key, random nonce, envelope, aad = MIX_TAG ‖ campaign id)
 */
const MIX_TAG = 'DDCI-MIX/1 aead=AES-256-GCM(96-bit nonce)';

export function mixingKey(hmacSecret: string): Buffer {
  return createHmac('sha256', hmacSecret).update('ddci/pending-mix/v1').digest();
}

const aad = (campaignId: string) => Buffer.from(`${MIX_TAG}|${campaignId}`, 'utf8');

export const sealForMixing = (key: Buffer, campaignId: string, envelope: Buffer): Buffer => aeadEncrypt(key, envelope, aad(campaignId));
export const openFromMixing = (key: Buffer, campaignId: string, sealed: Buffer): Buffer => aeadDecrypt(key, sealed, aad(campaignId));
