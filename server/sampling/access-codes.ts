import { createHmac } from 'node:crypto';
import { customRandom } from 'nanoid';

/**
 * Access codes: 12 symbols from an alphabet without look-alikes (no 0/O, 1/I), 32 symbols = 5 bits each,
 * 60 bits in all, shown as XXXX-XXXX-XXXX. nanoid draws them from a keyed stream: HMAC-SHA-256 of the
 * invitation id under a key derived from HMAC_SECRET, so the server can print a letter or a reminder
 * again, while the database holds only HMAC(lookup key, code). Without the secret, a stolen database
 * yields no code.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const CODE_LENGTH = 12;
export const CODE_BITS = CODE_LENGTH * Math.log2(CODE_ALPHABET.length);

export interface CodeKeys {
  derive: Buffer;
  lookup: Buffer;
}

export function codeKeys(hmacSecret: string): CodeKeys {
  const sub = (label: string) => createHmac('sha256', hmacSecret).update(label).digest();
  return { derive: sub('ddci/access-code/derive/v1'), lookup: sub('ddci/access-code/lookup/v1') };
}

/** The access code of an invitation (attempt > 0 only after a hash collision). */
export function accessCodeFor(keys: CodeKeys, invitationId: string, attempt = 0): string {
  let block = 0;
  const bytes = (size: number): Uint8Array => {
    const out = Buffer.alloc(size);
    for (let filled = 0; filled < size; block++) {
      const chunk = createHmac('sha256', keys.derive).update(`${invitationId}|${attempt}|${block}`).digest();
      filled += chunk.copy(out, filled);
    }
    return out;
  };
  return customRandom(CODE_ALPHABET, CODE_LENGTH, bytes)();
}

export function formatCode(code: string): string {
  return code.match(/.{1,4}/g)!.join('-');
}

/** What a person typed, as a code: upper case, separators and spaces dropped; null if it cannot be one. */
export function normaliseCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== CODE_LENGTH) return null;
  for (const c of code) if (!CODE_ALPHABET.includes(c)) return null;
  return code;
}

export function codeHash(keys: CodeKeys, code: string): string {
  return createHmac('sha256', keys.lookup).update(code).digest('hex');
}
