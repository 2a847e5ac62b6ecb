import { DONT_KNOW, type Indicator, type Methodology } from '../questionnaires/index.js';
import { normalQuantile, stratifiedMean, type StratumValues } from './estimate.js';
import type { Random, ReplicateStreams } from './random.js';

/**
 * The DDCI scoring method of DESIGN §7, pure: no I/O, no clock, randomness only from the injected source.
 * Departments and districts are scored and ranked separately. The same function runs at unsealing and in
 * `ddci score`, so anyone with the anonymised microdata can recompute every published figure.
 */

export type UnitKind = 'department' | 'district';

export interface ScoringInput {
  methodology: Methodology;
  units: { code: string; kind: UnitKind }[];
  /** Frame count of every stratum (unit × stratum label, e.g. a size band, or "all"). */
  strata: { unit: string; stratum: string; population: number }[];
  /** One per response, in a fixed order (the bootstrap draws by position). */
  responses: { unit: string; stratum: string; answers: Record<string, unknown> }[];
  /** Indicator bounds from past years, when the methodology asks for pooled bounds. */
  pooledBounds?: Record<string, [number, number]>;
}

export interface IndicatorScore {
  code: string;
  /** Weighted share of favourable answers (0–1) or weighted mean, over valid answers; null with none. */
  value: number | null;
  /** Linearised design-based SE and normal interval (R's svymean and confint). */
  se: number | null;
  ci: [number, number] | null;
  /** SE over the rescaled bootstrap replicates (R's subbootstrap, with the finite-population correction). */
  bootstrapSe: number | null;
  valid: number;
  /** Normalised score, 1–10. */
  score: number | null;
}

export interface PillarScore {
  code: string;
  /** Mean of its indicator scores, 1–10. */
  score: number | null;
  ci: [number, number] | null;
}

export type UnitFlag = 'below-minimum' | 'incomplete';

/** A stratum whose frame count is missing or smaller than its respondents: the weights would be a guess. */
export class FrameCountError extends Error {
  constructor(
    readonly unit: string,
    readonly stratum: string,
    readonly population: number,
    readonly respondents: number,
  ) {
    super(`unit ${unit}, stratum ${stratum}: frame count ${population} for ${respondents} respondents`);
  }
}

export interface UnitScore {
  unit: string;
  kind: UnitKind;
  respondents: number;
  /** Why a unit is not ranked: fewer answers than the minimum, or a pillar short of its indicators. */
  flag: UnitFlag | null;
  /** Pillars without enough indicators with valid answers (methodology.pillarMinIndicatorShare). */
  incompletePillars: string[];
  indicators: IndicatorScore[];
  pillars: PillarScore[];
  /** Σ weight × pillar × scale (10–100). */
  composite: number | null;
  compositeCi: [number, number] | null;
  /** Rank within the unit type (1 = best); tied units share a rank; null when not ranked. */
  rank: number | null;
  /** The ranks the unit held in the central `level` share of bootstrap replicates. */
  rankRange: [number, number] | null;
  /** Index into methodology.tiers. */
  tier: number | null;
}

export interface ScoringResult {
  methodology: string;
  level: number;
  replicates: number;
  units: UnitScore[];
}

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

/** The first tier (bands sorted from the highest minimum) whose minimum the composite reaches. */
export function tierOf(composite: number, tiers: Methodology['tiers']): number {
  const order = tiers.map((t, i) => ({ min: t.min, i })).sort((a, b) => b.min - a.min);
  return (order.find((t) => composite >= t.min) ?? order[order.length - 1]!).i;
}

/** Quantile of sorted values, R's default (type 7): linear between order statistics. */
export function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]!) - sorted[lo]!);
}

/** Per unit, its strata and its respondents' indicator values (NaN = missing), grouped by stratum. */
interface UnitData {
  code: string;
  kind: UnitKind;
  strata: { population: number; start: number; size: number }[];
  /** values[indicator][respondent] */
  values: Float64Array[];
  respondents: number;
}

interface TypeScores {
  indicatorScores: (number | null)[][];
  pillars: (number | null)[][];
  composites: (number | null)[];
  ranks: (number | null)[];
}

/** One bootstrap replicate of a unit type: per unit (in code order) its indicator values, pillar scores, composite and rank. */
export interface ReplicateDraw {
  indicators: (number | null)[][];
  pillars: (number | null)[][];
  composites: (number | null)[];
  ranks: (number | null)[];
}

/** The bootstrap replicates of each unit type, by replicate number. */
export type BootstrapDraws = Record<UnitKind, ReplicateDraw[]>;

interface PreparedType {
  kind: UnitKind;
  pillars: Methodology['pillars'];
  indicators: Indicator[];
  units: UnitData[];
  rankable: boolean[];
}

/**
 * The input made ready to score: per unit type its pillars, indicators and every unit's indicator values
 * in typed arrays. Plain data, so worker threads receive it cheaply (typed arrays copy as blocks).
 */
export interface PreparedScoring {
  methodology: Methodology;
  pooledBounds?: Record<string, [number, number]>;
  types: PreparedType[];
}

export function prepareScoring(input: ScoringInput): PreparedScoring {
  const m = input.methodology;
  const types = (['department', 'district'] as const).flatMap((kind) => {
    const pillars = m.pillars.filter((p) => (p.weights[kind] ?? 0) > 0);
    const indicators = m.indicators.filter((i) => pillars.some((p) => p.code === i.pillar));
    const units = unitData(input, kind, indicators);
    return units.length ? [{ kind, pillars, indicators, units, rankable: units.map((u) => u.respondents >= m.minAnswersPerUnit) }] : [];
  });
  return { methodology: m, ...(input.pooledBounds ? { pooledBounds: input.pooledBounds } : {}), types };
}

/**
 * Replicates `from` … `to − 1` of the seeded Rao–Wu rescaled bootstrap (see `rescaledSums`): replicate r
 * reweights every stratum's respondents from the stream `streams(r)` and rescores the unit type (bounds,
 * pillars, composites, ranks) from the reweighted means. Replicates are independent, so any split of them
 * (over worker threads) gives the same draws.
 */
export function bootstrapReplicates(prepared: PreparedScoring, streams: ReplicateStreams, from: number, to: number): BootstrapDraws {
  const draws: BootstrapDraws = { department: [], district: [] };
  for (const t of prepared.types) {
    const columns = t.units.map((u) => u.values.map(drawableColumn));
    const weighted = new Float64Array(t.indicators.length);
    const weights = new Float64Array(t.indicators.length);
    const factors = new Float64Array(Math.max(0, ...t.units.map((u) => u.respondents)));
    for (let r = from; r < to; r++) {
      const random = streams(r);
      const values = t.units.map((u, j) => {
        rescaledSums(columns[j]!, u.strata, random, factors, weighted, weights);
        return t.indicators.map((_, k) => (weights[k]! > 0 ? weighted[k]! / weights[k]! : null));
      });
      const scored = scoreType(prepared.methodology, t.kind, t.pillars, t.indicators, values, t.rankable, prepared.pooledBounds);
      draws[t.kind].push({ indicators: values, pillars: scored.pillars, composites: scored.composites, ranks: scored.ranks });
    }
  }
  return draws;
}

/** An indicator column ready for the bootstrap: missing values as 0, with a 0/1 validity column if any is missing. */
interface DrawableColumn {
  values: Float64Array;
  valid: Float64Array | null;
}

function drawableColumn(column: Float64Array): DrawableColumn {
  if (!column.some((y) => y !== y)) return { values: column, valid: null };
  return { values: column.map((y) => (y === y ? y : 0)), valid: column.map((y) => (y === y ? 1 : 0)) };
}

/**
 * One unit's reweighted sums in one replicate of the Rao–Wu rescaled bootstrap (Rao, Wu & Yue 1992) with
 * m_h = n_h − 1, the `subbootstrap` of R's survey package plus the finite-population correction. In every
 * stratum h, n_h − 1 respondents are drawn with replacement (r_i: how often respondent i was drawn) and
 * each gets the factor a_i = 1 − λ_h + λ_h · n_h/(n_h − 1) · r_i with λ_h = √(1 − n_h/N_h). Then per
 * indicator Σ_h w_h·Σ_i a_i·y_i goes to `weighted` and Σ_h w_h·Σ_i a_i·[y_i valid] to `weights`, with
 * w_h = N_h / n_h the design weight. For a mean the replicates' variance is then (1 − f_h)·s²_h/n_h per
 * stratum, as the linearised estimate has it; a census stratum (λ = 0) and a stratum of one respondent keep
 * a_i = 1 and add no variance. Counting draws first and then reading each column in order keeps memory
 * access sequential; this loop is the whole cost of the bootstrap.
 */
function rescaledSums(columns: DrawableColumn[], strata: UnitData['strata'], random: Random, factors: Float64Array, weighted: Float64Array, weights: Float64Array): void {
  weighted.fill(0);
  weights.fill(0);
  for (const { start, size, population } of strata) {
    const end = start + size;
    const lambda = size < 2 ? 0 : Math.sqrt(Math.max(0, 1 - size / population));
    factors.fill(1 - lambda, start, end);
    if (lambda > 0) {
      const step = (lambda * size) / (size - 1);
      for (let i = 1; i < size; i++) factors[start + Math.floor(random() * size)]! += step;
    }
    const w = population / size;
    for (let k = 0; k < columns.length; k++) {
      const { values, valid } = columns[k]!;
      let sum = 0;
      let count = 0;
      if (valid) {
        for (let i = start; i < end; i++) {
          const a = factors[i]!;
          sum += a * values[i]!;
          count += a * valid[i]!;
        }
      } else {
        for (let i = start; i < end; i++) {
          const a = factors[i]!;
          sum += a * values[i]!;
          count += a;
        }
      }
      weighted[k]! += w * sum;
      weights[k]! += w * count;
    }
  }
}

/** Scores every unit, the bootstrap on this thread; see `scorePrepared`. */
export function score(input: ScoringInput, streams: ReplicateStreams): ScoringResult {
  return scorePrepared(prepareScoring(input), streams);
}

/**
 * Scores every unit. `draws` are the bootstrap replicates when computed elsewhere (worker threads, see
 * parallel.ts); by default they are computed here from `streams`.
 */
export function scorePrepared(prepared: PreparedScoring, streams: ReplicateStreams, draws?: BootstrapDraws): ScoringResult {
  const m = prepared.methodology;
  const level = m.bootstrap.confidence;
  const z = normalQuantile(level);
  const replicated = draws ?? bootstrapReplicates(prepared, streams, 0, m.bootstrap.replicates);
  const results: UnitScore[] = [];
  for (const { kind, pillars, indicators, units, rankable } of prepared.types) {
    const estimates = units.map((u) => indicators.map((_, k) => stratifiedMean(stratumValues(u, u.values[k]!))));
    const point = scoreType(m, kind, pillars, indicators, estimates.map((row) => row.map((e) => e?.estimate ?? null)), rankable, prepared.pooledBounds);
    const collect = (pick: (d: ReplicateDraw) => number | null | undefined) => {
      const values: number[] = [];
      for (const d of replicated[kind]) {
        const v = pick(d);
        if (v !== null && v !== undefined) values.push(v);
      }
      return values;
    };
    const interval = (values: number[]): [number, number] | null => {
      if (!values.length) return null;
      const sorted = values.sort((a, b) => a - b);
      return [quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2)];
    };

    units.forEach((u, j) => {
      const composite = point.composites[j] ?? null;
      const incompletePillars = pillars.filter((_, q) => point.pillars[j]![q] === null).map((p) => p.code);
      const flag: UnitFlag | null = !rankable[j] ? 'below-minimum' : composite === null ? 'incomplete' : null;
      const ranks = interval(collect((d) => d.ranks[j]));
      results.push({
        unit: u.code,
        kind,
        respondents: u.respondents,
        flag,
        incompletePillars,
        indicators: indicators.map((indicator, k) => {
          const e = estimates[j]![k];
          return {
            code: indicator.code,
            value: e?.estimate ?? null,
            se: e?.se ?? null,
            ci: e ? [e.estimate - z * e.se, e.estimate + z * e.se] : null,
            bootstrapSe: e ? standardDeviation(collect((d) => d.indicators[j]![k])) : null,
            valid: e?.valid ?? 0,
            score: point.indicatorScores[j]![k] ?? null,
          };
        }),
        pillars: pillars.map((p, q) => ({ code: p.code, score: point.pillars[j]![q] ?? null, ci: interval(collect((d) => d.pillars[j]![q])) })),
        composite,
        compositeCi: interval(collect((d) => d.composites[j])),
        rank: flag ? null : (point.ranks[j] ?? null),
        rankRange: flag || !ranks ? null : [Math.round(ranks[0]), Math.round(ranks[1])],
        tier: flag || composite === null ? null : tierOf(composite, m.tiers),
      });
    });
  }
  return { methodology: m.version, level, replicates: m.bootstrap.replicates, units: results };
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

function stratumValues(unit: UnitData, values: Float64Array): StratumValues[] {
  return unit.strata.map((s) => ({ population: s.population, values: values.subarray(s.start, s.start + s.size) }));
}

function unitData(input: ScoringInput, kind: UnitKind, indicators: Indicator[]): UnitData[] {
  const codes = input.units.filter((u) => u.kind === kind).map((u) => u.code).sort();
  return codes.map((code) => {
    const responses = input.responses.filter((r) => r.unit === code);
    const labels = [...new Set([...input.strata.filter((s) => s.unit === code).map((s) => s.stratum), ...responses.map((r) => r.stratum)])].sort();
    const ordered: ScoringInput['responses'] = [];
    const strata = labels.map((label) => {
      const members = responses.filter((r) => r.stratum === label);
      const population = input.strata.find((s) => s.unit === code && s.stratum === label)?.population ?? 0;
      // Refuse rather than guess: a missing or too small frame count would silently make a census.
      if (members.length > 0 && !(population >= members.length)) throw new FrameCountError(code, label, population, members.length);
      const start = ordered.length;
      ordered.push(...members);
      return { population, start, size: members.length };
    });
    const values = indicators.map((indicator) => Float64Array.from(ordered, (r) => indicatorValue(indicator, r.answers[indicator.question])));
    return { code, kind, strata: strata.filter((s) => s.size > 0), values, respondents: ordered.length };
  });
}

/** Normalised indicator scores, pillars, composites and ranks of one unit type, from indicator values. */
function scoreType(
  m: Methodology,
  kind: UnitKind,
  pillars: Methodology['pillars'],
  indicators: Indicator[],
  values: (number | null)[][],
  rankable: boolean[],
  pooled: Record<string, [number, number]> | undefined,
): TypeScores {
  const { scale, allEqualScore, bounds } = m.normalisation;
  const indicatorScores = values.map(() => new Array<number | null>(indicators.length).fill(null));
  indicators.forEach((indicator, k) => {
    let min = Infinity;
    let max = -Infinity;
    if (bounds === 'observed') {
      // Bounds from the units that are ranked, so a unit with too few answers cannot stretch the scale.
      values.forEach((row, j) => {
        const x = row[k];
        if (rankable[j] && x !== null && x !== undefined) {
          min = Math.min(min, x);
          max = Math.max(max, x);
        }
      });
    } else {
      const fixed = bounds === 'fixed' ? m.normalisation.fixedBounds?.[indicator.code] : pooled?.[indicator.code];
      if (!fixed) throw new Error(`no ${bounds} bounds for indicator ${indicator.code}`);
      [min, max] = fixed;
    }
    if (min === Infinity) return;
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
    row.some((p) => p === null) ? null : pillars.reduce((sum, p, q) => sum + (p.weights[kind] ?? 0) * row[q]! * m.composite.scale, 0),
  );
  const ranked = composites.map((c, j) => (rankable[j] && c !== null ? c : null));
  const rankedValues = ranked.filter((c): c is number => c !== null);
  const ranks = shareRanks(rankedValues);
  let next = 0;
  return { indicatorScores, pillars: pillarScores, composites, ranks: ranked.map((c) => (c === null ? null : ranks[next++]!)) };
}
