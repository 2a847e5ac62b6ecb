import type { KeyObject } from 'node:crypto';
import { aeadDecrypt, aeadEncrypt, KEY_BYTES, openSealed, randomBytes, SealingError, sealTo } from './primitives.js';

/**
 * Documents sealed for the committee (the results, before publication): the document under a fresh
 * AES-256-GCM key, and that key sealed to each member (`sealTo`: X25519 + HKDF-SHA-256 + AES-256-GCM).
 */
export const DOCUMENT_TAG = 'DDCI-SEALED-DOCUMENT/1 kem=X25519 kdf=HKDF-SHA-256(32) wrap=AES-256-GCM(96-bit nonce) aead=AES-256-GCM(96-bit nonce)';
const TAG = Buffer.from(DOCUMENT_TAG, 'ascii');

export interface SealedDocument {
  tag: string;
  /** base64 of nonce ‖ ciphertext ‖ tag */
  payload: string;
  /** The document key sealed to each member (`sealTo`), base64. */
  recipients: { memberId: string; wrappedKey: string }[];
}

const wrapContext = (memberId: string) => Buffer.concat([TAG, Buffer.from(`|${memberId}`, 'utf8')]);

export function sealDocument(document: Buffer, recipients: { memberId: string; encryptionPublic: Buffer }[]): SealedDocument {
  const documentKey = randomBytes(KEY_BYTES);
  try {
    return {
      tag: DOCUMENT_TAG,
      payload: aeadEncrypt(documentKey, document, TAG).toString('base64'),
      recipients: recipients.map(({ memberId, encryptionPublic }) => ({
        memberId,
        wrappedKey: sealTo(encryptionPublic, documentKey, wrapContext(memberId)).toString('base64'),
      })),
    };
  } finally {
    documentKey.fill(0);
  }
}

export function openDocument(sealed: SealedDocument, memberId: string, memberKey: KeyObject): Buffer {
  if (sealed.tag !== DOCUMENT_TAG) throw new SealingError('version', 'unknown sealed-document version');
  const entry = sealed.recipients.find((r) => r.memberId === memberId);
  if (!entry) throw new SealingError('authentication', 'this document was not sealed for this member');
  const documentKey = openSealed(memberKey, Buffer.from(entry.wrappedKey, 'base64'), wrapContext(memberId));
  try {
    return aeadDecrypt(documentKey, Buffer.from(sealed.payload, 'base64'), TAG);
  } finally {
    documentKey.fill(0);
  }
}
