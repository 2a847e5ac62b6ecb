/** A seeded pseudo-random source (mulberry32): the only randomness scoring uses, injected by callers. */
export type Random = () => number;

const STEP = 0x6d2b79f5;

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + STEP) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from a text (FNV-1a), so a published seed string fixes the bootstrap. */
export function seedFromText(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h;
}

/**
 * Independent streams, one per bootstrap replicate, from one seed: replicate r draws from `streams(r)`;
 * `streams(r, skip)` is the same stream with its first `skip` numbers already drawn (so each unit's draws can
 * be made on their own, in any order, and still be the ones a single pass over the units makes).
 */
export type ReplicateStreams = (replicate: number, skip?: number) => Random;

export function replicateStreams(seed: number): ReplicateStreams {
  // mulberry32's state moves by the same constant at every draw: skipping is one multiplication.
  return (replicate, skip = 0) => seededRandom(((seed ^ Math.imul(replicate + 1, 0x9e3779b1)) + Math.imul(skip, STEP)) >>> 0);
}
