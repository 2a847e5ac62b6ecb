import type { SizeBand } from './frame-rows.js';

/**
 * Sample design (docs/design.md §5), pure. Each unit is a stratum, optionally split into size-band sub-strata.
 * Sizes are for estimating a proportion at the worst case p = 0.5.
 */

export interface DesignParams {
  /** Target margin of error, e.g. 0.05 for ±5 points. */
  marginOfError: number;
  /** 0.90, 0.95 or 0.99. */
  confidence: number;
  /** Share of invited businesses expected to answer, e.g. 0.4. */
  expectedResponseRate: number;
  /** Bounds on the invited sample per unit. */
  minPerUnit: number;
  maxPerUnit: number;
  /** How a unit's sample is shared among its size bands. */
  allocation: 'proportional' | 'neyman';
  bySizeBand: boolean;
  /** Reserve list length per sub-stratum, as a multiple of its sample (rounded up). */
  reserveRatio: number;
}

export const DEFAULT_DESIGN: DesignParams = {
  marginOfError: 0.08,
  confidence: 0.95,
  expectedResponseRate: 0.4,
  minPerUnit: 30,
  maxPerUnit: 400,
  allocation: 'proportional',
  bySizeBand: true,
  reserveRatio: 0.5,
};

const Z: Record<string, number> = { '0.9': 1.6448536269514722, '0.95': 1.959963984540054, '0.99': 2.5758293035489004 };

/** Two-sided standard normal quantile for the supported confidence levels. */
export function zFor(confidence: number): number {
  const z = Z[String(confidence)];
  if (z === undefined) throw new RangeError(`unsupported confidence level ${confidence}`);
  return z;
}

/**
 * Completed answers needed for margin e at quantile z with finite population N (Cochran):
 * n0 = z²·p(1−p)/e² with p = ½; n = n0 / (1 + (n0 − 1)/N), rounded up.
 */
export function completesNeeded(N: number, e: number, z: number): number {
  if (N <= 0) return 0;
  const n0 = (z * z * 0.25) / (e * e);
  return Math.min(N, Math.ceil(n0 / (1 + (n0 - 1) / N)));
}

/** Margin of error with m answers from N: z·√(p(1−p)/m)·√((N − m)/(N − 1)), p = ½. */
export function marginFor(N: number, m: number, z: number): number {
  if (m <= 0) return Number.POSITIVE_INFINITY;
  if (N <= 1 || m >= N) return 0;
  return z * Math.sqrt(0.25 / m) * Math.sqrt((N - m) / (N - 1));
}

export interface SubStratum {
  sizeBand: SizeBand;
  /** Businesses in the sub-stratum (N_h). */
  size: number;
  /** Standard deviation of the auxiliary variable (dealings count) in the sub-stratum, for Neyman. */
  spread: number;
}

/**
 * Integer allocation of n among strata, each capped at its size. Proportional: n_h ∝ N_h; Neyman:
 * n_h ∝ N_h·S_h (proportional when every S_h is 0). Caps are applied iteratively (a capped stratum
 * takes all of itself, the rest is re-shared), then largest remainders make the total exact.
 */
export function allocate(n: number, strata: readonly { size: number; spread: number }[], method: DesignParams['allocation']): number[] {
  const sizes = strata.map((s) => s.size);
  const total = Math.min(n, sizes.reduce((a, b) => a + b, 0));
  const weights = strata.map((s) => (method === 'neyman' ? s.size * s.spread : s.size));
  const useWeights = weights.some((w) => w > 0) ? weights : sizes;
  const result = new Array<number>(strata.length).fill(0);
  const capped = new Set<number>();
  let remaining = total;
  // Cap loop: at most one pass per stratum.
  for (;;) {
    const open = strata.map((_, i) => i).filter((i) => !capped.has(i));
    const weightSum = open.reduce((a, i) => a + useWeights[i]!, 0);
    const over = open.filter((i) => weightSum > 0 && (remaining * useWeights[i]!) / weightSum >= sizes[i]!);
    if (over.length === 0) {
      const shares = open.map((i) => ({ i, exact: weightSum > 0 ? (remaining * useWeights[i]!) / weightSum : 0 }));
      for (const s of shares) result[s.i] = Math.floor(s.exact);
      let left = remaining - shares.reduce((a, s) => a + Math.floor(s.exact), 0);
      // Largest remainder first; ties to the larger stratum, then the earlier one: deterministic.
      const order = [...shares].sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || sizes[b.i]! - sizes[a.i]! || a.i - b.i);
      for (const s of order) {
        if (left === 0) break;
        if (result[s.i]! < sizes[s.i]!) {
          result[s.i]! += 1;
          left -= 1;
        }
      }
      return result;
    }
    for (const i of over) {
      result[i] = sizes[i]!;
      remaining -= sizes[i]!;
      capped.add(i);
    }
  }
}

export interface UnitPlan {
  unitCode: string;
  /** Businesses in the unit's frame (N). */
  frameSize: number;
  /** Businesses to invite. */
  planned: number;
  census: boolean;
  expectedAnswers: number;
  /** Margin of error expected from the expected answers. */
  expectedMargin: number;
  strata: { sizeBand: SizeBand; size: number; sample: number; reserve: number }[];
}

/**
 * A unit's plan: completes from the margin, inflated by the response rate, bounded by min and max,
 * census when that reaches the frame; then shared among size bands (or one stratum).
 */
export function planUnit(unitCode: string, strata: readonly SubStratum[], params: DesignParams): UnitPlan {
  const z = zFor(params.confidence);
  const N = strata.reduce((a, s) => a + s.size, 0);
  const completes = completesNeeded(N, params.marginOfError, z);
  const inflated = Math.ceil(completes / params.expectedResponseRate);
  const bounded = Math.max(params.minPerUnit, Math.min(params.maxPerUnit, inflated));
  const census = bounded >= N;
  const planned = census ? N : bounded;
  const groups: SubStratum[] = params.bySizeBand
    ? strata.filter((s) => s.size > 0)
    : [{ sizeBand: 'unknown', size: N, spread: 0 }];
  const shares = allocate(planned, groups, params.allocation);
  const expectedAnswers = planned * params.expectedResponseRate;
  return {
    unitCode,
    frameSize: N,
    planned,
    census,
    expectedAnswers,
    expectedMargin: marginFor(N, expectedAnswers, z),
    strata: groups.map((g, i) => {
      const sample = shares[i]!;
      return { sizeBand: g.sizeBand, size: g.size, sample, reserve: Math.min(g.size - sample, Math.ceil(sample * params.reserveRatio)) };
    }),
  };
}

/** Checks a design's parameters; returns the names of the bad ones. */
export function invalidParams(p: DesignParams): string[] {
  const bad: string[] = [];
  if (!(p.marginOfError > 0 && p.marginOfError < 0.5)) bad.push('marginOfError');
  if (!(String(p.confidence) in Z)) bad.push('confidence');
  if (!(p.expectedResponseRate > 0 && p.expectedResponseRate <= 1)) bad.push('expectedResponseRate');
  if (!(Number.isInteger(p.minPerUnit) && p.minPerUnit >= 1)) bad.push('minPerUnit');
  if (!(Number.isInteger(p.maxPerUnit) && p.maxPerUnit >= p.minPerUnit)) bad.push('maxPerUnit');
  if (!(p.reserveRatio >= 0 && p.reserveRatio <= 5)) bad.push('reserveRatio');
  return bad;
}
