import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomFillSync,
  verify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';

/** The building blocks, all from Node's OpenSSL: X25519, HKDF-SHA-256, AES-256-GCM. No I/O. */

export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

// DER prefixes of X25519 keys (RFC 8410): SubjectPublicKeyInfo and PKCS#8 PrivateKeyInfo around the raw 32 bytes.
// The hot paths (a public key per envelope in, an ephemeral public key per envelope out) use JWK instead:
// OpenSSL 3 decodes and encodes DER through its generic decoder framework, here 185 µs to import and
// 132 µs to export against 10 µs and nothing (the key generation job encodes it). Private keys stay DER:
// a JWK would hold the secret in an immutable JS string that cannot be zeroed.
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');

export class SealingError extends Error {
  constructor(
    readonly code: 'authentication' | 'format' | 'version' | 'key-mismatch' | 'expired' | 'quorum',
    message: string,
  ) {
    super(message);
    this.name = 'SealingError';
  }
}

function okpPublic(crv: 'X25519' | 'Ed25519', raw: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv, x: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64url') }, format: 'jwk' });
}

/** Checks an Ed25519 signature against a raw 32-byte public key. */
export function verifyEd25519(publicRaw: Buffer, message: Buffer, signature: Buffer): boolean {
  if (publicRaw.length !== KEY_BYTES) return false;
  return verify(null, message, okpPublic('Ed25519', publicRaw), signature);
}

export function x25519PublicFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== KEY_BYTES) throw new SealingError('format', 'an X25519 public key has 32 bytes');
  return okpPublic('X25519', raw);
}

export function x25519PrivateFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== KEY_BYTES) throw new SealingError('format', 'an X25519 private key has 32 bytes');
  const der = Buffer.concat([PKCS8_X25519, raw]);
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
}

/**
 * The raw 32 bytes of a public key (or of a private key's public half). DER, not JWK: on Node 20,
 * exporting a JWK holds the key's lock while allocating, and a garbage collection that then frees the
 * key generation job sharing that key waits on the same lock — the process hangs (seen after ~100,000
 * envelopes). Not on a hot path; `generateX25519` hands out the public half already encoded.
 */
export function rawPublic(key: KeyObject): Buffer {
  const der = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'der', type: 'spki' });
  if (!der.subarray(0, SPKI_X25519.length).equals(SPKI_X25519)) throw new SealingError('format', 'not an X25519 key');
  return Buffer.from(der.subarray(der.length - KEY_BYTES));
}

/** The 32 secret bytes of an X25519 private key; the caller zeroes them when done. */
export function rawPrivate(key: KeyObject): Buffer {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  const raw = Buffer.from(der.subarray(der.length - KEY_BYTES));
  der.fill(0);
  return raw;
}

/** A fresh X25519 key pair: the private key, and the public key as its raw 32 bytes (encoded by the generation job). */
export function generateX25519(): { privateKey: KeyObject; publicRaw: Buffer } {
  const { publicKey, privateKey } = generateWithPublicJwk('x25519', { publicKeyEncoding: { format: 'jwk' } });
  return { privateKey, publicRaw: Buffer.from(publicKey.x!, 'base64url') };
}

// Node documents that each half comes back encoded when its encoding is given and as a KeyObject
// otherwise; @types/node only types "both encoded" or "neither".
const generateWithPublicJwk = generateKeyPairSync as unknown as (
  type: 'x25519',
  options: { publicKeyEncoding: { format: 'jwk' } },
) => { publicKey: JsonWebKey; privateKey: KeyObject };

/** X25519 shared secret, then HKDF-SHA-256(ikm = shared, salt, info) → 32-byte key. */
export function deriveKey(privateKey: KeyObject, publicKey: KeyObject, salt: Buffer, info: Buffer): Buffer {
  const shared = diffieHellman({ privateKey, publicKey });
  try {
    return Buffer.from(hkdfSync('sha256', shared, salt, info, KEY_BYTES));
  } finally {
    shared.fill(0);
  }
}

/** AES-256-GCM with a fresh random 96-bit nonce: returns nonce ‖ ciphertext ‖ tag. */
export function aeadEncrypt(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  // One copy of the ciphertext (a sealed document can be tens of MB): final() before the tag, as listed.
  return Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

export function aeadDecrypt(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new SealingError('format', 'sealed data too short');
  const nonce = sealed.subarray(0, NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SealingError('authentication', 'sealed data failed authentication (tampered, or the wrong key)');
  }
}

/**
 * Seals a short secret to one recipient's X25519 key (ECIES-style):
 * `e.pub ‖ AES-256-GCM(HKDF-SHA-256(X25519(e, R), salt = e.pub ‖ R.pub, info = context), secret, aad = context)`.
 * The context binds what the secret is for (campaign, member, purpose); opening with another fails.
 */
export function sealTo(recipientRaw: Buffer, secret: Buffer, context: Buffer): Buffer {
  const ephemeral = generateX25519();
  const ephemeralRaw = ephemeral.publicRaw;
  const key = deriveKey(ephemeral.privateKey, x25519PublicFromRaw(recipientRaw), Buffer.concat([ephemeralRaw, recipientRaw]), context);
  try {
    return Buffer.concat([ephemeralRaw, aeadEncrypt(key, secret, context)]);
  } finally {
    key.fill(0);
  }
}

/** Opens what `sealTo` sealed, with the recipient's private key and the same context. */
export function openSealed(recipientKey: KeyObject, sealed: Buffer, context: Buffer): Buffer {
  if (sealed.length < KEY_BYTES + NONCE_BYTES + TAG_BYTES) throw new SealingError('format', 'sealed data too short');
  const ephemeralRaw = sealed.subarray(0, KEY_BYTES);
  const key = deriveKey(recipientKey, x25519PublicFromRaw(ephemeralRaw), Buffer.concat([ephemeralRaw, rawPublic(recipientKey)]), context);
  try {
    return aeadDecrypt(key, sealed.subarray(KEY_BYTES), context);
  } finally {
    key.fill(0);
  }
}

/** SHA-256 of the public key bytes, as 16 groups of four hex digits members can read aloud and compare. */
export function fingerprint(...publicKeys: Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const k of publicKeys) hash.update(k);
  return hash.digest('hex').match(/.{4}/g)!.join(' ').toUpperCase();
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Fresh random bytes (keys, nonces) from OpenSSL's CSPRNG, drawn a page at a time: a submission takes five
 * small draws, and each call into OpenSSL costs more than the bytes (≈ 10 µs here). Bytes handed out are
 * copied and wiped from the page at once, never handed out twice.
 */
const RANDOM_PAGE = 4096;
let randomPage = Buffer.alloc(0);
let randomAt = 0;
export function randomBytes(size: number): Buffer {
  if (size > RANDOM_PAGE / 4) return randomFillSync(Buffer.alloc(size));
  if (randomAt + size > randomPage.length) {
    randomPage = randomFillSync(Buffer.allocUnsafeSlow(RANDOM_PAGE));
    randomAt = 0;
  }
  const drawn = Buffer.from(randomPage.subarray(randomAt, randomAt + size));
  randomPage.fill(0, randomAt, randomAt + size);
  randomAt += size;
  return drawn;
}
