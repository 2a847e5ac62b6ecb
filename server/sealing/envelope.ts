import type { KeyObject } from 'node:crypto';
import {
  aeadDecrypt,
  aeadEncrypt,
  deriveKey,
  generateX25519,
  KEY_BYTES,
  NONCE_BYTES,
  randomBytes,
  SealingError,
  TAG_BYTES,
  x25519PublicFromRaw,
} from './primitives.js';

/**
 * Response envelopes: hybrid public-key encryption to the campaign key.
 *
 *   data key    K  = 32 random bytes, fresh per envelope
 *   ephemeral   e  = new X25519 key pair per envelope
 *   KEK            = HKDF-SHA-256(ikm = X25519(e, campaign), salt = e.pub ‖ campaign.pub, info = TAG)
 *   wrapped key    = AES-256-GCM(KEK, random nonce, K,       aad = TAG ‖ e.pub ‖ context)
 *   payload        = AES-256-GCM(K,   random nonce, answers, aad = TAG ‖ e.pub ‖ context)
 *
 * Layout: u8 len(TAG) ‖ TAG ‖ e.pub(32) ‖ wrapped(12+32+16) ‖ payload(12+n+16). TAG names every algorithm and
 * parameter. `context` (campaign, unit, questionnaire version) is bound as associated data and not stored
 * inside: an envelope moved to another unit or campaign does not open.
 */
export const ENVELOPE_TAG = 'DDCI-ENVELOPE/1 kem=X25519 kdf=HKDF-SHA-256(32) wrap=AES-256-GCM(96-bit nonce) aead=AES-256-GCM(96-bit nonce)';
const TAG = Buffer.from(ENVELOPE_TAG, 'ascii');
const WRAPPED_BYTES = NONCE_BYTES + KEY_BYTES + TAG_BYTES;
const HEADER_BYTES = 1 + TAG.length + KEY_BYTES;

function aad(ephemeral: Buffer, context: string): Buffer {
  return Buffer.concat([TAG, ephemeral, Buffer.from(context, 'utf8')]);
}

/** The associated data a response envelope is bound to (the same string seals and opens it). */
export function responseContext(campaignId: string, unitCode: string, questionnaire: string): string {
  return `campaign=${campaignId};unit=${unitCode};questionnaire=${questionnaire}`;
}

/**
 * The associated data of an envelope that carries its unit, questionnaire and mode inside (DDCI-ANSWERS/3):
 * the stored row names none of them, so rows of one batch look alike (see mixing.ts).
 */
export function sealedResponseContext(campaignId: string): string {
  return `campaign=${campaignId};unit=inside;questionnaire=inside`;
}

export type EnvelopeSealer = (plaintext: Buffer, context: string) => Buffer;

/**
 * The plaintext-independent half of an envelope: a fresh ephemeral public key and the KEK agreed from its
 * private half with the campaign key (which is then dropped). `ephemeral-keys.ts` makes them ahead of need.
 */
export interface EphemeralKek {
  ephemeralRaw: Buffer;
  /** Used once, then zeroed by the sealer. */
  kek: Buffer;
}

/** A key agreement with the campaign public key, as `seal` makes one (the ephemeral private key is not kept). */
export function agreeEphemeralKek(campaignPublic: KeyObject, campaignPublicRaw: Buffer): EphemeralKek {
  const ephemeral = generateX25519();
  const ephemeralRaw = ephemeral.publicRaw;
  return { ephemeralRaw, kek: deriveKey(ephemeral.privateKey, campaignPublic, Buffer.concat([ephemeralRaw, campaignPublicRaw]), TAG) };
}

/**
 * A sealer for one campaign public key (raw 32 bytes), the key parsed once. `prepared` hands out key
 * agreements made ahead (or nothing, when none is ready: the envelope then makes its own).
 */
export function envelopeSealer(campaignPublicRaw: Buffer, prepared?: () => EphemeralKek | undefined): EnvelopeSealer {
  const campaignPublic = x25519PublicFromRaw(campaignPublicRaw);
  const recipient = Buffer.from(campaignPublicRaw);
  return (plaintext, context) => seal(plaintext, prepared?.() ?? agreeEphemeralKek(campaignPublic, recipient), context);
}

/** Seals plaintext bytes to the campaign public key (raw 32 bytes). */
export function sealEnvelope(plaintext: Buffer, campaignPublicRaw: Buffer, context: string): Buffer {
  return envelopeSealer(campaignPublicRaw)(plaintext, context);
}

function seal(plaintext: Buffer, { ephemeralRaw, kek }: EphemeralKek, context: string): Buffer {
  const dataKey = randomBytes(KEY_BYTES);
  try {
    const associated = aad(ephemeralRaw, context);
    return Buffer.concat([
      Buffer.from([TAG.length]),
      TAG,
      ephemeralRaw,
      aeadEncrypt(kek, dataKey, associated),
      aeadEncrypt(dataKey, plaintext, associated),
    ]);
  } finally {
    kek.fill(0);
    dataKey.fill(0);
  }
}

/** Opens an envelope with the campaign private key. Only `unsealing.ts` holds that key, inside a decryptor. */
export function openEnvelope(envelope: Buffer, campaignPrivate: KeyObject, campaignPublicRaw: Buffer, context: string): Buffer {
  if (envelope.length < HEADER_BYTES + WRAPPED_BYTES + NONCE_BYTES + TAG_BYTES) throw new SealingError('format', 'envelope too short');
  if (envelope[0] !== TAG.length || !envelope.subarray(1, 1 + TAG.length).equals(TAG)) {
    throw new SealingError('version', 'unknown envelope version');
  }
  const ephemeralRaw = envelope.subarray(1 + TAG.length, HEADER_BYTES);
  const kek = deriveKey(campaignPrivate, x25519PublicFromRaw(ephemeralRaw), Buffer.concat([ephemeralRaw, campaignPublicRaw]), TAG);
  const associated = aad(Buffer.from(ephemeralRaw), context);
  let dataKey: Buffer | undefined;
  try {
    dataKey = aeadDecrypt(kek, envelope.subarray(HEADER_BYTES, HEADER_BYTES + WRAPPED_BYTES), associated);
    return aeadDecrypt(dataKey, envelope.subarray(HEADER_BYTES + WRAPPED_BYTES), associated);
  } finally {
    kek.fill(0);
    dataKey?.fill(0);
  }
}
