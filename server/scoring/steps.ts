import { DONT_KNOW, type Block, type Indicator, type Methodology, type TierScheme } from '../questionnaires/index.js';

import type { Bounds } from './types.js';

export type { Bounds } from './types.js';

/** The steps of the DDCI method (docs/design.md §7) from indicator values to ranks, pure. */

/**
 * Indicator value of one answer: 1 when favourable, 0 when not, for a share; the number, for a mean;
 * NaN when missing (no answer, or "don't know / not applicable", which is never a zero).
 */
export function indicatorValue(indicator: Indicator, answer: unknown): number {
  if (answer === undefined || answer === null || answer === DONT_KNOW || answer === '') return Number.NaN;
  if (indicator.measure === 'mean') return typeof answer === 'number' ? answer : Number.NaN;
  const favourable = indicator.favourable ?? [];
  const given = Array.isArray(answer) ? answer : [answer];
  return given.some((a) => favourable.includes(String(a))) ? 1 : 0;
}

/** Normalised score: 1 + 9·(x − min)/(max − min), or 1 + 9·(max − x)/(max − min) when lower is better; clamped to the scale. */
export function normalise(x: number, min: number, max: number, direction: 'higher' | 'lower', scale: [number, number], allEqual: number): number {
  const [low, high] = scale;
  if (max === min) return allEqual;
  const share = direction === 'higher' ? (x - min) / (max - min) : (max - x) / (max - min);
  return Math.min(high, Math.max(low, low + (high - low) * share));
}

/** Competition ranks, best first: (90, 80, 80, 70) → (1, 2, 2, 4). Values equal to 1e-9 tie. */
export function shareRanks(values: readonly number[]): number[] {
  const key = (v: number) => Math.round(v * 1e9);
  const sorted = [...values].map(key).sort((a, b) => b - a);
  return values.map((v) => sorted.indexOf(key(v)) + 1);
}

/**
 * The tier (index into the scheme's bands) of a ranked unit. Fixed bands: the first band, from the highest
 * minimum, that the composite reaches. Relative bands: by the unit's place in its block's ranking — rank r
 * of n ranked units is in the first band with (r − 1)/n < upTo.
 */
export function tierOf(tiers: TierScheme, composite: number, rank: number, ranked: number): number {
  if (tiers.scheme === 'relative') {
    const position = (rank - 1) / ranked;
    const i = tiers.bands.findIndex((b) => position < b.upTo - 1e-12);
    return i === -1 ? tiers.bands.length - 1 : i;
  }
  const order = tiers.bands.map((t, i) => ({ min: t.min, i })).sort((a, b) => b.min - a.min);
  return (order.find((t) => composite >= t.min) ?? order[order.length - 1]!).i;
}

/** Quantile of sorted values, R's default (type 7): linear between order statistics. */
export function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]!) - sorted[lo]!);
}

/** Standard deviation with divisor R − 1, as R's svrepdesign computes a bootstrap SE (mse = FALSE); null under two values. */
export function standardDeviation(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  // Deviations from the first value: identical replicates (a census) give exactly 0, not rounding noise.
  const origin = values[0]!;
  let sum = 0;
  let squares = 0;
  for (const v of values) {
    sum += v - origin;
    squares += (v - origin) ** 2;
  }
  return Math.sqrt(Math.max(0, (squares - (sum * sum) / values.length) / (values.length - 1)));
}

export interface BlockScores {
  /** The bounds each indicator was normalised with (none for an indicator no ranked unit answered). */
  bounds: Bounds;
  indicatorScores: (number | null)[][];
  pillars: (number | null)[][];
  composites: (number | null)[];
  ranks: (number | null)[];
}

/**
 * Normalised indicator scores, pillars, composites and ranks of one block, from indicator values.
 * `pooled`: bounds over the ranked units of the past years pooled with this one (may lack an indicator).
 */
export function scoreBlock(
  m: Methodology,
  block: Block,
  pillars: Methodology['pillars'],
  indicators: Indicator[],
  values: (number | null)[][],
  rankable: boolean[],
  pooled: Bounds | undefined,
): BlockScores {
  const { scale, allEqualScore, bounds: rule } = m.normalisation;
  const bounds: Bounds = {};
  const indicatorScores = values.map(() => new Array<number | null>(indicators.length).fill(null));
  indicators.forEach((indicator, k) => {
    let min = Infinity;
    let max = -Infinity;
    if (rule === 'fixed') {
      const fixed = m.normalisation.fixedBounds?.[indicator.code];
      if (!fixed) throw new Error(`no fixed bounds for indicator ${indicator.code}`);
      [min, max] = fixed;
    } else {
      // Bounds from the units that are ranked, so a unit with too few answers cannot stretch the scale.
      values.forEach((row, j) => {
        const x = row[k];
        if (rankable[j] && x !== null && x !== undefined) {
          min = Math.min(min, x);
          max = Math.max(max, x);
        }
      });
      const past = rule === 'pooled' ? pooled?.[indicator.code] : undefined;
      if (past) [min, max] = [Math.min(min, past[0]), Math.max(max, past[1])];
    }
    if (min === Infinity) return;
    bounds[indicator.code] = [min, max];
    values.forEach((row, j) => {
      const x = row[k];
      if (x !== null && x !== undefined) indicatorScores[j]![k] = normalise(x, min, max, indicator.direction, scale, allEqualScore);
    });
  });
  // A pillar is scored only from enough of its indicators (default: all of them), never from whatever is left.
  const share = m.pillarMinIndicatorShare ?? 1;
  const needed = pillars.map((p) => Math.max(1, Math.ceil(share * indicators.filter((i) => i.pillar === p.code).length - 1e-9)));
  const pillarScores = indicatorScores.map((row) =>
    pillars.map((p, q) => {
      const scores = indicators.flatMap((indicator, k) => (indicator.pillar === p.code && row[k] !== null ? [row[k]!] : []));
      return scores.length >= needed[q]! ? scores.reduce((a, b) => a + b, 0) / scores.length : null;
    }),
  );
  const composites = pillarScores.map((row) =>
    row.some((p) => p === null) ? null : pillars.reduce((sum, p, q) => sum + (block.weights[p.code] ?? 0) * row[q]! * m.composite.scale, 0),
  );
  const ranked = composites.map((c, j) => (rankable[j] && c !== null ? c : null));
  const rankedValues = ranked.filter((c): c is number => c !== null);
  const ranks = shareRanks(rankedValues);
  let next = 0;
  return { bounds, indicatorScores, pillars: pillarScores, composites, ranks: ranked.map((c) => (c === null ? null : ranks[next++]!)) };
}
