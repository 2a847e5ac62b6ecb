import { createHash } from 'node:crypto';
import { drawSample, sampleHash, seedCommitment, type DrawStratum } from '../../server/sampling/draw.js';
import { accessCodeFor, CODE_BITS, codeHash, codeKeys, formatCode, normaliseCode } from '../../server/sampling/access-codes.js';

const codes = (n: number, prefix = '01') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(8, '0')}`);
const strata: DrawStratum[] = [
  { unitCode: 'SXD', sizeBand: 'micro', taxCodes: codes(200), sample: 20, reserve: 10 },
  { unitCode: 'SXD', sizeBand: 'large', taxCodes: codes(15, '02'), sample: 15, reserve: 0 },
  { unitCode: 'HBS', sizeBand: 'unknown', taxCodes: codes(80, '03'), sample: 30, reserve: 15 },
];

/** The algorithm exactly as documented in draw.ts, written again from the text. */
function documentedDraw(s: DrawStratum, seed: string, publicValue: string): string[] {
  const master = createHash('sha256').update(`DDCI-DRAW/1|${seed}|${publicValue}`).digest();
  const words: number[] = [];
  let counter = 0;
  const next = () => {
    if (words.length === 0) {
      const c = Buffer.alloc(4);
      c.writeUInt32BE(counter++);
      const block = createHash('sha256').update(Buffer.concat([master, Buffer.from(s.unitCode), Buffer.from([0]), Buffer.from(s.sizeBand), Buffer.from([0]), c])).digest();
      for (let i = 0; i < 32; i += 4) words.push(block.readUInt32BE(i));
    }
    return words.shift()!;
  };
  const uniform = (m: number) => {
    const limit = Math.floor(2 ** 32 / m) * m;
    for (;;) {
      const w = next();
      if (w < limit) return w % m;
    }
  };
  const order = [...s.taxCodes].sort();
  const k = Math.min(order.length, s.sample + s.reserve);
  for (let i = 0; i < k; i++) {
    const j = i + uniform(order.length - i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, k);
}

describe('the verifiable draw', () => {
  test('follows its documented algorithm exactly', () => {
    const drawn = drawSample(strata, 'hạt giống 2026', '12345');
    for (const s of strata) {
      const mine = drawn.filter((e) => e.unitCode === s.unitCode && e.sizeBand === s.sizeBand).map((e) => e.taxCode);
      expect(mine).toEqual(documentedDraw(s, 'hạt giống 2026', '12345'));
    }
  });

  test('the same frame and seed give the same sample, whatever the frame order; another seed or public value another', () => {
    const a = drawSample(strata, 'seed-A');
    const shuffledFrame = strata.map((s) => ({ ...s, taxCodes: [...s.taxCodes].reverse() }));
    expect(drawSample(shuffledFrame, 'seed-A')).toEqual(a);
    expect(sampleHash(drawSample(strata, 'seed-B'))).not.toBe(sampleHash(a));
    expect(sampleHash(drawSample(strata, 'seed-A', 'lottery 98765'))).not.toBe(sampleHash(a));
  });

  test('sample then reserve, in draw order, no business twice in a stratum, census takes all', () => {
    const drawn = drawSample(strata, 'seed');
    const micro = drawn.filter((e) => e.sizeBand === 'micro');
    expect(micro.map((e) => e.position)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(micro.filter((e) => e.role === 'sample')).toHaveLength(20);
    expect(micro.slice(20).every((e) => e.role === 'reserve')).toBe(true);
    expect(new Set(micro.map((e) => e.taxCode)).size).toBe(30);
    expect(new Set(drawn.filter((e) => e.sizeBand === 'large').map((e) => e.taxCode))).toEqual(new Set(strata[1]!.taxCodes));
  });

  test('every business has the same chance (2,000 draws of 1 from 10)', () => {
    const counts = new Map<string, number>();
    const frame = codes(10);
    for (let i = 0; i < 2000; i++) {
      const [e] = drawSample([{ unitCode: 'U', sizeBand: 'unknown', taxCodes: frame, sample: 1, reserve: 0 }], `seed-${i}`);
      counts.set(e!.taxCode, (counts.get(e!.taxCode) ?? 0) + 1);
    }
    const chiSquare = [...counts.values()].reduce((a, c) => a + (c - 200) ** 2 / 200, 0);
    expect(counts.size).toBe(10);
    expect(chiSquare).toBeLessThan(27.88); // χ²(9) at p = 0.001
  });

  test('the sample hash changes when one business changes', () => {
    const drawn = drawSample(strata, 'seed');
    const altered = drawn.map((e, i) => (i === 5 ? { ...e, taxCode: '0999999999' } : e));
    expect(sampleHash(altered)).not.toBe(sampleHash(drawn));
    expect(sampleHash([...drawn].reverse())).toBe(sampleHash(drawn));
  });

  test('the commitment is the SHA-256 of the seed', () => {
    expect(seedCommitment('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('access codes', () => {
  const keys = codeKeys('a-server-secret-of-enough-length-0123456789');

  test('12 symbols from the unambiguous alphabet, at least 55 bits, shown as XXXX-XXXX-XXXX', () => {
    const code = accessCodeFor(keys, 'inv-1');
    expect(CODE_BITS).toBeGreaterThanOrEqual(55);
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{12}$/);
    expect(formatCode(code)).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
  });

  test('the server derives the same code again; other invitations and other secrets give others', () => {
    expect(accessCodeFor(keys, 'inv-1')).toBe(accessCodeFor(keys, 'inv-1'));
    expect(accessCodeFor(keys, 'inv-1', 1)).not.toBe(accessCodeFor(keys, 'inv-1'));
    expect(accessCodeFor(codeKeys('another-secret-of-enough-length-0123456789'), 'inv-1')).not.toBe(accessCodeFor(keys, 'inv-1'));
    const many = new Set(Array.from({ length: 50_000 }, (_, i) => accessCodeFor(keys, `inv-${i}`)));
    expect(many.size).toBe(50_000);
  });

  test('typed codes are normalised; impossible ones refused; only a keyed hash is kept', () => {
    const code = accessCodeFor(keys, 'inv-7');
    expect(normaliseCode(formatCode(code).toLowerCase())).toBe(code);
    expect(normaliseCode(` ${formatCode(code)} `)).toBe(code);
    expect(normaliseCode('0000-1111-IIII')).toBeNull();
    expect(normaliseCode('ABCD-EFGH')).toBeNull();
    const hash = codeHash(keys, code);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(code.toLowerCase());
    expect(codeHash(keys, code)).toBe(hash);
  });
});
