import type { BootstrapDraws, PreparedScoring, UnitData } from './types.js';
import type { Random, ReplicateStreams } from './random.js';
import { scoreBlock } from './steps.js';

/**
 * Replicates `from` … `to − 1` of the seeded Rao–Wu rescaled bootstrap (see `rescaledSums`): replicate r
 * reweights every stratum's respondents from the stream `streams(r)` and rescores each block (bounds,
 * pillars, composites, ranks) from the reweighted means. Replicates are independent, so any split of them
 * (over worker threads) gives the same draws.
 */
export function bootstrapReplicates(prepared: PreparedScoring, streams: ReplicateStreams, from: number, to: number): BootstrapDraws {
  const draws: BootstrapDraws = {};
  for (const t of prepared.blocks) {
    const own: BootstrapDraws[string] = (draws[t.block.code] = []);
    const weighted = new Float64Array(t.indicators.length);
    const weights = new Float64Array(t.indicators.length);
    const sums = { values: new Float64Array(t.indicators.length), valid: new Float64Array(t.indicators.length) };
    const factors = new Float64Array(Math.max(0, ...t.units.map((u) => u.valid.length / t.indicators.length)));
    for (let r = from; r < to; r++) {
      const random = streams(r);
      const values = t.units.map((u) => {
        rescaledSums(u, random, factors, sums, weighted, weights);
        return t.indicators.map((_, k) => (weights[k]! > 0 ? weighted[k]! / weights[k]! : null));
      });
      const scored = scoreBlock(prepared.methodology, t.block, t.pillars, t.indicators, values, t.rankable, prepared.pooledBounds?.[t.block.code]);
      own.push({ indicators: values, pillars: scored.pillars, composites: scored.composites, ranks: scored.ranks });
    }
  }
  return draws;
}

/**
 * One unit's reweighted sums in one replicate of the Rao–Wu rescaled bootstrap (Rao, Wu & Yue 1992) with
 * m_h = n_h − 1, the `subbootstrap` of R's survey package plus the finite-population correction. In every
 * stratum h, n_h − 1 respondents are drawn with replacement (r_i: how often respondent i was drawn) and
 * each gets the factor a_i = 1 − λ_h + λ_h · n_h/(n_h − 1) · r_i with λ_h = √(1 − n_h/N_h). Then per
 * indicator Σ_h w_h·Σ_i a_i·y_i goes to `weighted` and Σ_h w_h·Σ_i a_i·[y_i valid] to `weights`, with
 * w_h = N_h / n_h the design weight. For a mean the replicates' variance is then (1 − f_h)·s²_h/n_h per
 * stratum, as the linearised estimate has it; a census stratum (λ = 0) and a stratum of one respondent keep
 * a_i = 1 and add no variance. Counting draws first and then reading the respondents in order keeps memory
 * access sequential; this loop is the whole cost of the bootstrap.
 */
function rescaledSums(unit: UnitData, random: Random, factors: Float64Array, sums: { values: Float64Array; valid: Float64Array }, weighted: Float64Array, weights: Float64Array): void {
  const K = weighted.length;
  const { values, valid } = unit;
  weighted.fill(0);
  weights.fill(0);
  for (const { start, size, population } of unit.strata) {
    const end = start + size;
    const lambda = size < 2 ? 0 : Math.sqrt(Math.max(0, 1 - size / population));
    factors.fill(1 - lambda, start, end);
    if (lambda > 0) {
      const step = (lambda * size) / (size - 1);
      for (let i = 1; i < size; i++) factors[start + Math.floor(random() * size)]! += step;
    }
    // Per indicator the same sums, in the same order, as column by column: the figures do not change by a bit.
    sums.values.fill(0);
    sums.valid.fill(0);
    for (let i = start, at = start * K; i < end; i++) {
      const a = factors[i]!;
      for (let k = 0; k < K; k++, at++) {
        sums.values[k]! += a * values[at]!;
        sums.valid[k]! += a * valid[at]!;
      }
    }
    const w = population / size;
    for (let k = 0; k < K; k++) {
      weighted[k]! += w * sums.values[k]!;
      weights[k]! += w * sums.valid[k]!;
    }
  }
}
