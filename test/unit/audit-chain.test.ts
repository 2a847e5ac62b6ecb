import { assertNoSecrets, canonicalJson, entryHash, findBreak, GENESIS_HASH, type ChainedEntry } from '../../server/audit/chain.js';

function chain(n: number): ChainedEntry[] {
  const entries: ChainedEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const entry = {
      seq,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
      actor: 'quantri',
      action: 'units.added',
      campaignId: 'c1',
      subject: null,
      details: { count: seq, codes: ['SXD'] },
    };
    const hash = entryHash(prevHash, entry);
    entries.push({ ...entry, prevHash, hash });
    prevHash = hash;
  }
  return entries;
}

describe('audit hash chain', () => {
  test('canonical JSON does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } })).toBe(canonicalJson({ a: { c: 'x', d: [1, { y: 2, z: 1 }] }, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  test('an intact chain has no break', () => {
    expect(findBreak(chain(5), null)).toBeNull();
  });

  test('a changed field is found at its entry', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, details: { count: 99, codes: ['SXD'] } };
    expect(findBreak(entries, null)).toMatchObject({ seq: 3, reason: 'hash' });
  });

  test('a recomputed hash breaks the link of the next entry', () => {
    const entries = chain(5);
    const forged = { ...entries[1]!, actor: 'someone-else' };
    forged.hash = entryHash(forged.prevHash, forged);
    entries[1] = forged;
    expect(findBreak(entries, null)).toMatchObject({ seq: 3, reason: 'link' });
  });

  test('a deleted entry breaks the sequence', () => {
    const entries = chain(5);
    entries.splice(3, 1);
    expect(findBreak(entries, null)).toMatchObject({ seq: 5, reason: 'sequence' });
  });

  test('verification continues from a previous page', () => {
    const entries = chain(6);
    expect(findBreak(entries.slice(3), { seq: 3, hash: entries[2]!.hash })).toBeNull();
    expect(findBreak(entries.slice(3), { seq: 3, hash: GENESIS_HASH })).toMatchObject({ seq: 4, reason: 'link' });
  });

  test('details that look like secrets or answers are refused', () => {
    expect(() => assertNoSecrets({ password: 'x' })).toThrow(/details\.password/);
    expect(() => assertNoSecrets({ nested: [{ privateKeyPem: 'x' }] })).toThrow(/privateKeyPem/);
    expect(() => assertNoSecrets({ answers: {} })).toThrow();
    expect(() => assertNoSecrets({ responseId: 'r1' })).toThrow();
    expect(() => assertNoSecrets({ codes: ['A'], count: 1, role: 'admin' })).not.toThrow();
  });
});
