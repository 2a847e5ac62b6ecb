import { allocate, completesNeeded, DEFAULT_DESIGN, invalidParams, marginFor, planUnit, zFor, type DesignParams } from '../../server/sampling/design.js';

const params: DesignParams = { ...DEFAULT_DESIGN, marginOfError: 0.05, confidence: 0.95, expectedResponseRate: 0.4, minPerUnit: 30, maxPerUnit: 400, bySizeBand: false, reserveRatio: 0.5 };
const z95 = zFor(0.95);

describe('sample sizes (Cochran with finite-population correction)', () => {
  // n0 = 1.96²·0.25/0.05² = 384.16; n = n0/(1+(n0−1)/N)
  test.each([
    [100, 80], // 384.16 / 4.8316 = 79.51
    [1000, 278], // 384.16 / 1.38316 = 277.74
    [10000, 370], // 384.16 / 1.038316 = 369.98
    [30, 28], // 384.16 / 13.772 = 27.89
  ])('N = %i needs %i answers for ±5 points at 95%%', (N, n) => {
    expect(completesNeeded(N, 0.05, z95)).toBe(n);
  });

  test('the margin with m answers: z·√(¼/m)·√((N−m)/(N−1))', () => {
    // 1.96 · √(0.25/160) · √(840/999) = 1.96 · 0.0395285 · 0.9169734
    expect(marginFor(1000, 160, z95)).toBeCloseTo(0.071043, 5);
    expect(marginFor(50, 50, z95)).toBe(0);
    expect(marginFor(50, 0, z95)).toBe(Infinity);
  });

  test('a unit plan: completes, inflated by the response rate, bounded, census when small', () => {
    const big = planUnit('SXD', [{ sizeBand: 'unknown', size: 1000, spread: 0 }], params);
    // 278 completes / 0.4 = 695 invitations, above the maximum 400
    expect(big).toMatchObject({ frameSize: 1000, planned: 400, census: false, expectedAnswers: 160 });
    expect(big.expectedMargin).toBeCloseTo(0.071043, 5);
    expect(big.strata).toEqual([{ sizeBand: 'unknown', size: 1000, sample: 400, reserve: 200 }]);

    // 45 completes / 0.4 = 113 ≥ 50: census
    const small = planUnit('HDL', [{ sizeBand: 'unknown', size: 50, spread: 0 }], params);
    expect(small).toMatchObject({ planned: 50, census: true, expectedMargin: expect.closeTo(marginFor(50, 20, z95), 10) });
    expect(small.strata[0]).toMatchObject({ sample: 50, reserve: 0 });

    // ±30 points: 11 completes / 0.4 = 28, raised to the minimum 30
    const loose = planUnit('STP', [{ sizeBand: 'unknown', size: 5000, spread: 0 }], { ...params, marginOfError: 0.3 });
    expect(loose.planned).toBe(30);
  });

  test('size bands share the unit’s sample; empty bands are dropped', () => {
    const plan = planUnit(
      'SCT',
      [
        { sizeBand: 'micro', size: 600, spread: 1 },
        { sizeBand: 'small', size: 300, spread: 2 },
        { sizeBand: 'medium', size: 100, spread: 4 },
        { sizeBand: 'large', size: 0, spread: 0 },
      ],
      { ...params, bySizeBand: true },
    );
    expect(plan.planned).toBe(400);
    expect(plan.strata.map((s) => [s.sizeBand, s.sample])).toEqual([
      ['micro', 240],
      ['small', 120],
      ['medium', 40],
    ]);
  });
});

describe('allocation', () => {
  test('proportional, with largest remainders (ties to the larger stratum)', () => {
    expect(allocate(10, [{ size: 50, spread: 0 }, { size: 30, spread: 0 }, { size: 20, spread: 0 }], 'proportional')).toEqual([5, 3, 2]);
    // exact 4.5, 3.5, 2.0 → 4, 3, 2 and one more for the larger of the tied remainders
    expect(allocate(10, [{ size: 45, spread: 0 }, { size: 35, spread: 0 }, { size: 20, spread: 0 }], 'proportional')).toEqual([5, 3, 2]);
  });

  test('Neyman: n_h ∝ N_h·S_h', () => {
    // weights 100·1 and 100·3 → 5 and 15
    expect(allocate(20, [{ size: 100, spread: 1 }, { size: 100, spread: 3 }], 'neyman')).toEqual([5, 15]);
    // all spreads zero: proportional
    expect(allocate(20, [{ size: 100, spread: 0 }, { size: 300, spread: 0 }], 'neyman')).toEqual([5, 15]);
  });

  test('a stratum never gets more than its size; the rest goes to the others', () => {
    // weights 30 and 10 → 7.5 for a stratum of 3: capped at 3, the other takes 7
    expect(allocate(10, [{ size: 3, spread: 10 }, { size: 100, spread: 0.1 }], 'neyman')).toEqual([3, 7]);
    expect(allocate(50, [{ size: 3, spread: 0 }, { size: 4, spread: 0 }], 'proportional')).toEqual([3, 4]);
  });

  test('bad parameters are named', () => {
    expect(invalidParams({ ...params, marginOfError: 0, confidence: 0.97, minPerUnit: 50, maxPerUnit: 40 })).toEqual(['marginOfError', 'confidence', 'maxPerUnit']);
  });
});
