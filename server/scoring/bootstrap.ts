import type { PreparedScoring, PreparedBlock, ReplicateDraw, UnitData } from './types.js';
import type { Random, ReplicateStreams } from './random.js';
import { scoreBlock } from './steps.js';

/**
 * Replicates `from` … `to − 1` of one block's seeded Rao–Wu rescaled bootstrap (see `rescaledSums`), given
 * the block's units one at a time in code order (`add`), each dropped once added: only the replicates'
 * indicator means are kept. Replicate r reweights the strata of each unit in turn from the stream
 * `streams(r)`, which runs on across the block's units; a unit's draws start where the units before it left
 * the stream (`streams(r, skip)`), so the draws are the same whether units come one at a time or all at
 * once, and any split of the replicates (over worker threads) gives the same figures. `draws` then rescores
 * each replicate (bounds, pillars, composites, ranks) from its means.
 */
export class BlockBootstrap {
  /** means[((r − from)·units + j)·K + k]: replicate r's mean of indicator k in unit j (NaN: no valid answer). */
  private readonly means: Float64Array;
  private readonly weighted: Float64Array;
  private readonly weights: Float64Array;
  private readonly sums: { values: Float64Array; valid: Float64Array };
  private added = 0;
  /** Numbers drawn from each replicate's stream by the units added so far. */
  private skip = 0;

  constructor(
    private readonly streams: ReplicateStreams,
    private readonly from: number,
    private readonly to: number,
    private readonly units: number,
    private readonly K: number,
  ) {
    this.means = new Float64Array(Math.max(0, to - from) * units * K);
    [this.weighted, this.weights] = [new Float64Array(K), new Float64Array(K)];
    this.sums = { values: new Float64Array(K), valid: new Float64Array(K) };
  }

  /** The block's next unit (in code order): its means in every replicate of the range. */
  add(unit: UnitData): void {
    const { K, weighted, weights } = this;
    const j = this.added++;
    const factors = new Float64Array(unit.valid.length / K);
    for (let r = this.from; r < this.to; r++) {
      rescaledSums(unit, this.streams(r, this.skip), factors, this.sums, weighted, weights);
      const at = ((r - this.from) * this.units + j) * K;
      for (let k = 0; k < K; k++) this.means[at + k] = weights[k]! > 0 ? weighted[k]! / weights[k]! : Number.NaN;
    }
    this.skip += drawsOf(unit);
  }

  /** Each replicate of the range scored as the point estimates are, from its means (every unit added). */
  draws(prepared: PreparedScoring, t: PreparedBlock): ReplicateDraw[] {
    if (this.added !== this.units) throw new Error(`block ${t.block.code}: ${this.added} of its ${this.units} units were bootstrapped`);
    const { K, units } = this;
    return Array.from({ length: Math.max(0, this.to - this.from) }, (_, i) => {
      const values = Array.from({ length: units }, (_, j) => Array.from(this.means.subarray((i * units + j) * K, (i * units + j + 1) * K), (m) => (m === m ? m : null)));
      const scored = scoreBlock(prepared.methodology, t.block, t.pillars, t.indicators, values, t.rankable, prepared.pooledBounds?.[t.block.code]);
      return { indicators: values, pillars: scored.pillars, composites: scored.composites, ranks: scored.ranks };
    });
  }
}

const lambdaOf = (size: number, population: number) => (size < 2 ? 0 : Math.sqrt(Math.max(0, 1 - size / population)));

/** How many numbers a unit's strata draw from a replicate's stream: n_h − 1 in each stratum that adds variance. */
function drawsOf(unit: UnitData): number {
  return unit.strata.reduce((sum, { size, population }) => sum + (lambdaOf(size, population) > 0 ? size - 1 : 0), 0);
}

/**
 * One unit's reweighted sums in one replicate of the Rao–Wu rescaled bootstrap (Rao, Wu & Yue 1992) with
 * m_h = n_h − 1, the `subbootstrap` of R's survey package plus the finite-population correction. In every
 * stratum h, n_h − 1 respondents are drawn with replacement (r_i: how often respondent i was drawn) and
 * each gets the factor a_i = 1 − λ_h + λ_h · n_h/(n_h − 1) · r_i with λ_h = √(1 − n_h/N_h). Then per
 * indicator Σ_h w_h·Σ_i a_i·y_i goes to `weighted` and Σ_h w_h·Σ_i a_i·[y_i valid] to `weights`, with
 * w_h = N_h / n_h the design weight. For a mean the replicates' variance is then (1 − f_h)·s²_h/n_h per
 * stratum, as the linearised estimate has it; a census stratum (λ = 0) and a stratum of one respondent keep
 * a_i = 1 and add no variance. The draws are counted first, then the respondents read in order
 * (`stratumSums`): that loop is the whole cost of the bootstrap.
 */
function rescaledSums(unit: UnitData, random: Random, factors: Float64Array, sums: { values: Float64Array; valid: Float64Array }, weighted: Float64Array, weights: Float64Array): void {
  const K = weighted.length;
  const { values, valid } = unit;
  weighted.fill(0);
  weights.fill(0);
  for (const { start, size, population } of unit.strata) {
    const end = start + size;
    const lambda = lambdaOf(size, population);
    factors.fill(1 - lambda, start, end);
    if (lambda > 0) {
      const step = (lambda * size) / (size - 1);
      for (let i = 1; i < size; i++) factors[start + Math.floor(random() * size)]! += step;
    }
    stratumSums(values, valid, factors, start, end, K, sums);
    const w = population / size;
    for (let k = 0; k < K; k++) {
      weighted[k]! += w * sums.values[k]!;
      weights[k]! += w * sums.valid[k]!;
    }
  }
}

/**
 * Σ_i a_i·y_i and Σ_i a_i·[y_i valid] over respondents `start` … `end − 1`, per indicator, into `sums`.
 * Four indicators at a time, their sums held in locals: the loop is bound by the additions' latency, and
 * eight independent chains keep it busy (2.5× faster than updating 2·K sums in memory per respondent).
 * Each indicator's sum is still taken over the respondents in order, so the figures do not change by a bit.
 */
function stratumSums(values: Float64Array, valid: Uint8Array, factors: Float64Array, start: number, end: number, K: number, sums: { values: Float64Array; valid: Float64Array }): void {
  let k = 0;
  for (; k + 4 <= K; k += 4) {
    let v0 = 0, v1 = 0, v2 = 0, v3 = 0, d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    for (let i = start, at = start * K + k; i < end; i++, at += K) {
      const a = factors[i]!;
      v0 += a * values[at]!;
      v1 += a * values[at + 1]!;
      v2 += a * values[at + 2]!;
      v3 += a * values[at + 3]!;
      d0 += a * valid[at]!;
      d1 += a * valid[at + 1]!;
      d2 += a * valid[at + 2]!;
      d3 += a * valid[at + 3]!;
    }
    [sums.values[k], sums.values[k + 1], sums.values[k + 2], sums.values[k + 3]] = [v0, v1, v2, v3];
    [sums.valid[k], sums.valid[k + 1], sums.valid[k + 2], sums.valid[k + 3]] = [d0, d1, d2, d3];
  }
  for (; k < K; k++) {
    let v = 0, d = 0;
    for (let i = start, at = start * K + k; i < end; i++, at += K) {
      v += factors[i]! * values[at]!;
      d += factors[i]! * valid[at]!;
    }
    sums.values[k] = v;
    sums.valid[k] = d;
  }
}
