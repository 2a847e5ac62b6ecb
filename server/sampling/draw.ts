import { createHash } from 'node:crypto';
import type { SizeBand } from './frame-rows.js';

/**
 * The verifiable draw, pure and versioned. Anyone with the frame, the seed, the public random value and
 * this algorithm re-draws the same sample (`ddci sample verify`).
 *
 * DDCI-DRAW/1:
 *   master  = SHA-256("DDCI-DRAW/1|" ‖ seed ‖ "|" ‖ public random value)
 *   stream  = for each stratum (unit, size band): blocks SHA-256(master ‖ unit ‖ 0x00 ‖ band ‖ 0x00 ‖ u32be(i)),
 *             i = 0, 1, …, read as big-endian 32-bit words
 *   uniform(m) = the next word w with w < ⌊2³²/m⌋·m (rejection), then w mod m
 *   order   = the stratum's tax codes sorted ascending (code-unit order), then a partial Fisher–Yates
 *             shuffle: for i = 0 … k−1, swap position i with i + uniform(N − i)
 *   result  = the first `sample` positions are the sample, the next `reserve` the reserve list, in draw order.
 */
export const DRAW_ALGORITHM = 'DDCI-DRAW/1 prng=SHA-256-counter rejection-sampling partial-Fisher-Yates over tax codes sorted ascending';

export interface DrawStratum {
  unitCode: string;
  sizeBand: SizeBand;
  taxCodes: readonly string[];
  sample: number;
  reserve: number;
}

export interface DrawnEntry {
  unitCode: string;
  sizeBand: SizeBand;
  /** 1-based draw order within the stratum. */
  position: number;
  taxCode: string;
  role: 'sample' | 'reserve';
}

/** The public commitment to a seed: hex SHA-256 of its UTF-8 bytes. */
export function seedCommitment(seed: string): string {
  return createHash('sha256').update(seed, 'utf8').digest('hex');
}

class StratumStream {
  private block = Buffer.alloc(0);
  private offset = 32;
  private counter = 0;
  private readonly prefix: Buffer;

  constructor(master: Buffer, unitCode: string, sizeBand: string) {
    this.prefix = Buffer.concat([master, Buffer.from(unitCode, 'utf8'), Buffer.from([0]), Buffer.from(sizeBand, 'utf8'), Buffer.from([0])]);
  }

  private word(): number {
    if (this.offset >= 32) {
      const counter = Buffer.alloc(4);
      counter.writeUInt32BE(this.counter++);
      this.block = createHash('sha256').update(this.prefix).update(counter).digest();
      this.offset = 0;
    }
    const w = this.block.readUInt32BE(this.offset);
    this.offset += 4;
    return w;
  }

  uniform(m: number): number {
    const limit = Math.floor(0x1_0000_0000 / m) * m;
    for (;;) {
      const w = this.word();
      if (w < limit) return w % m;
    }
  }
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function drawSample(strata: readonly DrawStratum[], seed: string, publicValue = ''): DrawnEntry[] {
  const master = createHash('sha256').update(`DDCI-DRAW/1|${seed}|${publicValue}`, 'utf8').digest();
  const entries: DrawnEntry[] = [];
  for (const s of strata) {
    const order = [...s.taxCodes].sort(byCodeUnits);
    const k = Math.min(order.length, s.sample + s.reserve);
    const stream = new StratumStream(master, s.unitCode, s.sizeBand);
    for (let i = 0; i < k; i++) {
      const j = i + stream.uniform(order.length - i);
      const picked = order[j]!;
      order[j] = order[i]!;
      order[i] = picked;
      entries.push({ unitCode: s.unitCode, sizeBand: s.sizeBand, position: i + 1, taxCode: picked, role: i < s.sample ? 'sample' : 'reserve' });
    }
  }
  return entries;
}

/** SHA-256 over the entries as lines `unit|band|position|tax code|role`, sorted: the published sample hash. */
export function sampleHash(entries: readonly DrawnEntry[]): string {
  const lines = entries.map((e) => `${e.unitCode}|${e.sizeBand}|${e.position}|${e.taxCode}|${e.role}`).sort(byCodeUnits);
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line + '\n');
  return hash.digest('hex');
}
