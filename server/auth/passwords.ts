import argon2 from 'argon2';
import { customAlphabet } from 'nanoid';

/** argon2id at OWASP's recommended floor (19 MiB, 2 passes, 1 lane): the parameters live in each hash. */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

// Verified against when the username does not exist, so both failures take the same time.
let dummyHash: Promise<string> | undefined;
export async function burnVerification(password: string): Promise<void> {
  dummyHash ??= hashPassword('no such account, but the same work');
  await verifyPassword(await dummyHash, password);
}

// No 0/O, 1/l/I: read aloud or copied from paper without mistakes. 16 symbols of 31 ≈ 79 bits.
const otpSymbols = customAlphabet('23456789abcdefghjkmnpqrstuvwxyz', 16);

/** A one-time password, grouped for reading: `xxxx-xxxx-xxxx-xxxx`. */
export function generateOneTimePassword(): string {
  return otpSymbols().match(/.{4}/g)!.join('-');
}
