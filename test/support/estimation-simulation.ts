import type { Methodology } from '../../server/questionnaires/index.js';
import { allocate } from '../../server/sampling/design.js';
import { changesFromLastYear, finishYear, prepareWithReplicates, seededRandom, replicateStreams, shareRanks, type Bounds, type ScoringInput } from '../../server/scoring/index.js';
import type { Random } from '../../server/scoring/random.js';
import type { YearScores } from '../../server/scoring/series.js';
import { scoreBlock } from '../../server/scoring/steps.js';

/**
 * A seeded simulation of the whole estimator (test/unit/estimation-simulation.test.ts runs a small one,
 * `npm run bench:estimation` a larger one). Each unit's frame has two size bands (800 small and 200 large businesses)
 * whose answers differ; samples are drawn by size band with proportional or Neyman allocation, scored,
 * and the estimates compared with the frame's true values: bias, and how often the 95 % intervals cover.
 */
const label = { vi: 'x', en: 'x' };
const METHODOLOGY: Methodology = {
  version: 'sim',
  minAnswersPerUnit: 10,
  // Fixed bounds make the composite a fixed function of the indicators: a parameter of the frame.
  normalisation: { method: 'min-max', scale: [1, 10], allEqualScore: 5.5, bounds: 'fixed', fixedBounds: { 'I-1': [0, 1], 'I-2': [0, 1], 'I-3': [0, 1], 'I-4': [0, 40] } },
  composite: { scale: 10 },
  bootstrap: { replicates: 200, confidence: 0.95 },
  pillars: [
    { code: 'P1', name: label },
    { code: 'P2', name: label },
  ],
  blocks: [{ code: 'sim', name: label, questionnaire: 'q', weights: { P1: 0.5, P2: 0.5 }, tiers: { scheme: 'fixed', bands: [{ min: 50, label }, { min: 0, label }] } }],
  indicators: [
    { code: 'I-1', question: 'Q1', pillar: 'P1', measure: 'share', favourable: ['yes'], direction: 'higher' },
    { code: 'I-2', question: 'Q2', pillar: 'P1', measure: 'share', favourable: ['yes'], direction: 'higher' },
    { code: 'I-3', question: 'Q3', pillar: 'P2', measure: 'share', favourable: ['yes'], direction: 'higher' },
    { code: 'I-4', question: 'Q4', pillar: 'P2', measure: 'mean', direction: 'lower' },
  ],
};
const BANDS = [
  { stratum: 'small', size: 800, spread: 1 },
  { stratum: 'large', size: 200, spread: 4 },
];
const UNITS = 8;
const PER_UNIT = 80;

type Business = { stratum: string; answers: Record<string, string | number> };

/** A frame: per unit and band, businesses with fixed answers; large businesses answer more favourably. `shift` moves a year's shares (half the units up, half down). */
function frame(random: Random, shift = 0): Business[][] {
  return Array.from({ length: UNITS }, (_, u) =>
    BANDS.flatMap(({ stratum, size }, b) =>
      Array.from({ length: size }, () => {
        const move = u % 2 ? shift : -shift;
        const p = [0.35 + 0.03 * u, 0.5, 0.6 - 0.04 * u].map((base) => Math.min(0.95, Math.max(0.05, base + 0.4 * b + move)));
        const answers: Record<string, string | number> = {};
        p.forEach((share, k) => (answers[`Q${k + 1}`] = random() < share ? 'yes' : 'no'));
        answers.Q4 = random() < 0.05 ? 'DK' : Math.round(8 + 20 * random() - 9 * b + u);
        return { stratum, answers };
      }),
    ),
  );
}

/** The true values of a unit's indicators over its whole frame (valid answers only). */
function trueValues(businesses: Business[]): number[] {
  const share = (q: string) => businesses.filter((b) => b.answers[q] === 'yes').length / businesses.length;
  const days = businesses.map((b) => b.answers.Q4).filter((d): d is number => typeof d === 'number');
  return [share('Q1'), share('Q2'), share('Q3'), days.reduce((a, b) => a + b, 0) / days.length];
}

/** Simple random samples without replacement within each band, as the draw does. */
function drawSample(businesses: Business[], sizes: number[], random: Random): Business[] {
  return BANDS.flatMap(({ stratum }, b) => {
    const pool = businesses.filter((x) => x.stratum === stratum);
    for (let i = 0; i < sizes[b]!; i++) {
      const j = i + Math.floor(random() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    return pool.slice(0, sizes[b]);
  });
}

export type BoundsRule = Methodology['normalisation']['bounds'];

export interface SimulationOptions {
  allocation: 'proportional' | 'neyman';
  runs: number;
  seed: number;
  replicates: number;
  /** false: score with one stratum per unit, dropping the band (what unsealing did before). */
  byBand?: boolean;
  /** The normalisation bounds rule (default fixed); observed and pooled make the truth the rule applied to the frame's true values. */
  bounds?: BoundsRule;
  /** Also score last year's sample of a shifted frame and check the change-from-last-year intervals. */
  change?: boolean;
}

export interface SimulationOutcome {
  bias: { indicator: number; composite: number };
  coverage: { indicator: number; composite: number; rank: number; change: number | null };
  intervals: { indicator: number; composite: number };
  /** Mean composite error in points (not relative), and the mean width of the rank ranges. */
  compositeBiasPoints: number;
  rankWidth: number;
}

const unitCode = (u: number) => `U${u}`;

/** A sample of every unit scored: its input, and the result with the bootstrap replicates' composites. */
function scoreSample(methodology: Methodology, units: Business[][], sizes: number[], random: Random, stream: number, byBand: boolean, pooled?: Bounds): YearScores {
  const samples = units.map((u) => drawSample(u, sizes, random));
  const input: ScoringInput = {
    methodology,
    units: units.map((_, u) => ({ code: unitCode(u), block: 'sim' })),
    strata: byBand ? units.flatMap((_, u) => BANDS.map(({ stratum, size }) => ({ unit: unitCode(u), stratum, population: size }))) : units.map((_, u) => ({ unit: unitCode(u), stratum: 'all', population: 1000 })),
    responses: samples.flatMap((s, u) => s.map((b) => ({ unit: unitCode(u), stratum: byBand ? b.stratum : 'all', answers: b.answers }))),
    ...(pooled ? { pooledBounds: { sim: pooled } } : {}),
  };
  const { prepared, draws } = prepareWithReplicates(input, replicateStreams(stream));
  return finishYear(prepared, draws);
}

export function simulate({ allocation, runs, seed, replicates, byBand = true, bounds = 'fixed', change = false }: SimulationOptions): SimulationOutcome {
  const methodology: Methodology = { ...METHODOLOGY, normalisation: { ...METHODOLOGY.normalisation, bounds, pooledYears: 2 }, bootstrap: { replicates, confidence: 0.95 } };
  const block = methodology.blocks[0]!;
  const random = seededRandom(seed);
  const units = frame(random);
  const before = change ? frame(random, 0.06) : null;
  const sizes = allocate(PER_UNIT, BANDS, allocation);
  // Pooled bounds widen this year's with last year's published ones: one earlier sample, scored, stands for them.
  const pooled = bounds === 'pooled' ? scoreSample({ ...methodology, normalisation: { ...methodology.normalisation, bounds: 'observed' } }, before ?? frame(random, 0.06), sizes, random, seed, byBand).result.bounds.sim : undefined;
  // The parameters: the rule applied to the frame's true values (for fixed bounds, a fixed function of each unit's own).
  const truthOf = (frames: Business[][]) => scoreBlock(methodology, block, methodology.pillars, methodology.indicators, frames.map(trueValues), frames.map(() => true), pooled);
  const truth = truthOf(units);
  const trueRanks = shareRanks(truth.composites as number[]);
  const trueBefore = before ? truthOf(before) : null;
  const errors = { indicator: [] as number[], composite: [] as number[], points: [] as number[] };
  const covered = { indicator: [] as boolean[], composite: [] as boolean[], rank: [] as boolean[], change: [] as boolean[] };
  const widths: number[] = [];
  for (let run = 0; run < runs; run++) {
    const year = scoreSample(methodology, units, sizes, random, seed * 1000 + run, byBand, pooled);
    const changes = before ? changesFromLastYear(year, scoreSample(methodology, before, sizes, random, seed * 1000 + run + 500_000, byBand, pooled), units.map((_, u) => ({ code: unitCode(u), previous: unitCode(u) }))) : [];
    year.result.units.forEach((unit, u) => {
      const values = trueValues(units[u]!);
      unit.indicators.forEach((i, k) => {
        // Shares on their own scale; the mean in days relative to its true value.
        errors.indicator.push(k < 3 ? i.value! - values[k]! : (i.value! - values[k]!) / values[k]!);
        covered.indicator.push(i.ci![0] <= values[k]! && values[k]! <= i.ci![1]);
      });
      const t = truth.composites[u]!;
      errors.composite.push((unit.composite! - t) / t);
      errors.points.push(unit.composite! - t);
      covered.composite.push(unit.compositeCi![0] <= t && t <= unit.compositeCi![1]);
      covered.rank.push(unit.rankRange![0] <= trueRanks[u]! && trueRanks[u]! <= unit.rankRange![1]);
      widths.push(unit.rankRange![1] - unit.rankRange![0]);
      const c = changes[u]?.composite;
      if (c && trueBefore) {
        const trueChange = t - trueBefore.composites[u]!;
        covered.change.push(c.ci[0] <= trueChange && trueChange <= c.ci[1]);
      }
    });
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const rate = (xs: boolean[]) => xs.filter(Boolean).length / xs.length;
  return {
    bias: { indicator: mean(errors.indicator), composite: mean(errors.composite) },
    coverage: { indicator: rate(covered.indicator), composite: rate(covered.composite), rank: rate(covered.rank), change: covered.change.length ? rate(covered.change) : null },
    intervals: { indicator: covered.indicator.length, composite: covered.composite.length },
    compositeBiasPoints: mean(errors.points),
    rankWidth: mean(widths),
  };
}
