import { createHmac } from 'node:crypto';
import type { Db } from '../db/client.js';
import { recentStaffAddressHashes, upsertStaffAddress } from './queries.js';

/**
 * Traces staff leave, so that answers staff could have given in a business's name are counted (never
 * tied to an answer): the network addresses staff accounts sign in from, kept as
 * HMAC-SHA-256(key from HMAC_SECRET, address) — the address itself is never stored — and whether the
 * browser that answers carries a staff session. See server/sealing/README.md § Staff answering.
 */
export type AnswerSignal = 'staff-session' | 'staff-address';
export const ANSWER_SIGNALS: readonly AnswerSignal[] = ['staff-session', 'staff-address'];

/** How long an address a staff account signed in from counts as the staff's. */
const ADDRESS_DAYS = 180;
/** How long an instance trusts its copy of the staff addresses (a new sign-in shows within this). */
const CACHE_MS = 30_000;

export function staffAddressKey(hmacSecret: string): Buffer {
  return createHmac('sha256', hmacSecret).update('ddci/staff-address/v1').digest();
}

export const addressHash = (key: Buffer, address: string) => createHmac('sha256', key).update(address).digest('hex');

/** At a staff sign-in: the address (hashed) is the staff's from now on. */
export async function recordStaffAddress(db: Db, key: Buffer, address: string, now = new Date()): Promise<void> {
  await upsertStaffAddress(db, addressHash(key, address), now);
}

/** Which signals an online answer carries, from what the request shows; cached per instance. */
export function answerSignals(db: Db, key: Buffer) {
  let known: { at: number; hashes: Promise<Set<string>> } | undefined;
  const hashes = (now: number) => {
    if (!known || now - known.at > CACHE_MS) {
      const loaded = recentStaffAddressHashes(db, new Date(now - ADDRESS_DAYS * 86_400_000)).then((found) => new Set(found));
      known = { at: now, hashes: loaded };
      loaded.catch(() => (known = undefined));
    }
    return known.hashes;
  };
  return async (request: { staffSession: boolean; address: string | undefined }, now = Date.now()): Promise<AnswerSignal[]> => {
    const signals: AnswerSignal[] = [];
    if (request.staffSession) signals.push('staff-session');
    if (request.address && (await hashes(now)).has(addressHash(key, request.address))) signals.push('staff-address');
    return signals;
  };
}
