/** A seeded pseudo-random source (mulberry32): the only randomness scoring uses, injected by callers. */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
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

/** Independent streams, one per bootstrap replicate, from one seed: replicate r draws from `streams(r)`. */
export type ReplicateStreams = (replicate: number) => Random;

export function replicateStreams(seed: number): ReplicateStreams {
  return (replicate) => seededRandom((seed ^ Math.imul(replicate + 1, 0x9e3779b1)) >>> 0);
}
