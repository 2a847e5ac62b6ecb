import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { aeadDecrypt, aeadEncrypt, KEY_BYTES, SealingError } from './primitives.js';

/**
 * Receipts and idempotent submissions.
 *
 *   receipt      = SHA-256(envelope), hex: the respondent can find it in the bulletin after close.
 *   nonce hash   = HMAC-SHA-256(key from HMAC_SECRET, invitation ‖ unit ‖ form nonce)
 *   sealed       = AES-256-GCM(HKDF-SHA-256(form nonce, info = TAG), receipt, aad = TAG)
 *
 * The form nonce (128 random bits) exists only in the respondent's form, so only a retry of that very
 * form finds its row and opens the receipt; the database alone links the row to no invitation and no
 * envelope.
 */
const TAG = Buffer.from('DDCI-RECEIPT/1 kdf=HKDF-SHA-256(32) aead=AES-256-GCM(96-bit nonce)', 'ascii');

export function receiptOf(envelope: Buffer): string {
  return createHash('sha256').update(envelope).digest('hex');
}

export function submissionKey(hmacSecret: string): Buffer {
  return createHmac('sha256', hmacSecret).update('ddci/submission-nonce/v1').digest();
}

export function nonceHash(key: Buffer, invitationId: string, unitCode: string, nonce: string): string {
  return createHmac('sha256', key).update(`${invitationId}|${unitCode}|${nonce}`).digest('hex');
}

function receiptKey(nonce: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(nonce, 'utf8'), Buffer.alloc(0), TAG, KEY_BYTES));
}

export function sealReceipt(nonce: string, receipt: string): Buffer {
  return aeadEncrypt(receiptKey(nonce), Buffer.from(receipt, 'ascii'), TAG);
}

/** The receipt sealed under this nonce, or null when the nonce is not the one it was sealed under. */
export function openReceipt(nonce: string, sealed: Buffer): string | null {
  try {
    return aeadDecrypt(receiptKey(nonce), sealed, TAG).toString('ascii');
  } catch (error) {
    if (error instanceof SealingError) return null;
    throw error;
  }
}

/** An opaque name for the browser's draft of one form, so drafts of different businesses never mix. */
export function draftKey(key: Buffer, invitationId: string, unitCode: string): string {
  return createHmac('sha256', key).update(`draft|${invitationId}|${unitCode}`).digest('hex').slice(0, 24);
}
