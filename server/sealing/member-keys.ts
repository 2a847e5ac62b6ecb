import { createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import argon2 from 'argon2';
import forge from 'node-forge';
import { fingerprint, rawPublic } from './primitives.js';

/**
 * A committee member's personal keys: X25519 (shares and sealed results are encrypted to it) and Ed25519
 * (the chair signs the publication with it). Each private key is stored only as an encrypted PKCS#8
 * (node-forge, PBES2). Its password is not the passphrase itself but argon2id(passphrase), a
 * memory-hard stretch that node-forge's own PBKDF2 (pure JavaScript) could not afford at a strong count.
 * Nothing here can recover a forgotten passphrase.
 */
export const MEMBER_KDF = {
  stretch: { algorithm: 'argon2id', memoryKiB: 65_536, iterations: 3, parallelism: 1, saltBytes: 16, outputBytes: 32 },
  // The PKCS#8 password is the 256-bit argon2id output, so PBKDF2 iterations add no strength here:
  // OpenSSL's default count keeps the file standard without paying for pure-JavaScript rounds.
  pkcs8: { scheme: 'PBES2', kdf: 'PBKDF2-HMAC-SHA-256', iterations: 2048, saltBytes: 16, cipher: 'AES-256-CBC' },
} as const;

export const MIN_PASSPHRASE_LENGTH = 12;

export interface MemberKeyRecord {
  encryptionPublic: Buffer;
  signingPublic: Buffer;
  encryptionPrivatePem: string;
  signingPrivatePem: string;
  /** argon2id salt, base64. */
  kdfSalt: string;
  /** The parameters above, as stored with the keys. */
  kdf: string;
  fingerprint: string;
}

export type MemberKeyUse = 'encryption' | 'signing';

async function stretch(passphrase: string, salt: Buffer): Promise<string> {
  const { memoryKiB, iterations, parallelism, outputBytes } = MEMBER_KDF.stretch;
  const key = await argon2.hash(passphrase, {
    type: argon2.argon2id,
    raw: true,
    salt,
    memoryCost: memoryKiB,
    timeCost: iterations,
    parallelism,
    hashLength: outputBytes,
  });
  const password = key.toString('base64');
  key.fill(0);
  return password;
}

function encryptPkcs8(key: KeyObject, password: string): string {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  const info = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  der.fill(0);
  const { iterations, saltBytes } = MEMBER_KDF.pkcs8;
  const encrypted = forge.pki.encryptPrivateKeyInfo(info, password, {
    algorithm: 'aes256',
    count: iterations,
    saltSize: saltBytes,
    prfAlgorithm: 'sha256',
  });
  return forge.pki.encryptedPrivateKeyToPem(encrypted);
}

/** The private key, or null for a wrong password (which node-forge reports either as null or, when the
 * CBC padding happens to check out, as unparsable ASN.1). */
function decryptPkcs8(pem: string, password: string): KeyObject | null {
  let info: forge.asn1.Asn1 | null;
  try {
    info = forge.pki.decryptPrivateKeyInfo(forge.pki.encryptedPrivateKeyFromPem(pem), password);
  } catch {
    return null;
  }
  if (!info) return null;
  const der = Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary');
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
}

export async function createMemberKeys(passphrase: string): Promise<MemberKeyRecord> {
  const encryption = generateKeyPairSync('x25519');
  const signing = generateKeyPairSync('ed25519');
  const salt = randomBytes(MEMBER_KDF.stretch.saltBytes);
  const password = await stretch(passphrase, salt);
  const encryptionPublic = rawPublic(encryption.publicKey);
  const signingPublic = Buffer.from(signing.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32));
  return {
    encryptionPublic,
    signingPublic,
    encryptionPrivatePem: encryptPkcs8(encryption.privateKey, password),
    signingPrivatePem: encryptPkcs8(signing.privateKey, password),
    kdfSalt: salt.toString('base64'),
    kdf: JSON.stringify(MEMBER_KDF),
    fingerprint: fingerprint(encryptionPublic, signingPublic),
  };
}

/** One of the member's private keys (X25519 to open shares and documents, Ed25519 to sign), or null for
 * a wrong passphrase. */
export async function unlockMemberKey(
  record: Pick<MemberKeyRecord, 'encryptionPrivatePem' | 'signingPrivatePem' | 'kdfSalt'>,
  passphrase: string,
  use: MemberKeyUse,
): Promise<KeyObject | null> {
  const password = await stretch(passphrase, Buffer.from(record.kdfSalt, 'base64'));
  return decryptPkcs8(use === 'encryption' ? record.encryptionPrivatePem : record.signingPrivatePem, password);
}
