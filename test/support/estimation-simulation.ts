import type { Methodology } from '../../server/questionnaires/index.js';
import { allocate } from '../../server/sampling/design.js';
import { score, seededRandom, replicateStreams, type ScoringInput } from '../../server/scoring/index.js';
import type { Random } from '../../server/scoring/random.js';

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

/** A frame: per unit and band, businesses with fixed answers; large businesses answer more favourably. */
function frame(random: Random): Business[][] {
  return Array.from({ length: UNITS }, (_, u) =>
    BANDS.flatMap(({ stratum, size }, b) =>
      Array.from({ length: size }, () => {
        const p = [0.35 + 0.03 * u, 0.5, 0.6 - 0.04 * u].map((base) => Math.min(0.95, base + 0.4 * b));
        const answers: Record<string, string | number> = {};
        p.forEach((share, k) => (answers[`Q${k + 1}`] = random() < share ? 'yes' : 'no'));
        answers.Q4 = random() < 0.05 ? 'DK' : Math.round(8 + 20 * random() - 9 * b + u);
        return { stratum, answers };
      }),
    ),
  );
}

/** The true values of a unit's indicators (over valid answers) and its true composite, from the whole frame. */
function truth(businesses: Business[]) {
  const share = (q: string) => businesses.filter((b) => b.answers[q] === 'yes').length / businesses.length;
  const days = businesses.map((b) => b.answers.Q4).filter((d): d is number => typeof d === 'number');
  const values = [share('Q1'), share('Q2'), share('Q3'), days.reduce((a, b) => a + b, 0) / days.length];
  const scores = values.map((x, k) => (k < 3 ? 1 + 9 * x : 1 + (9 * (40 - x)) / 40));
  return { values, composite: (0.5 * (scores[0]! + scores[1]!) / 2 + 0.5 * (scores[2]! + scores[3]!) / 2) * 10 };
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

export interface SimulationOptions {
  allocation: 'proportional' | 'neyman';
  runs: number;
  seed: number;
  replicates: number;
  /** false: score with one stratum per unit, dropping the band (what unsealing did before). */
  byBand?: boolean;
}

export interface SimulationOutcome {
  bias: { indicator: number; composite: number };
  coverage: { indicator: number; composite: number };
  intervals: { indicator: number; composite: number };
}

export function simulate({ allocation, runs, seed, replicates, byBand = true }: SimulationOptions): SimulationOutcome {
  const methodology = { ...METHODOLOGY, bootstrap: { replicates, confidence: 0.95 } };
  const random = seededRandom(seed);
  const units = frame(random);
  const truths = units.map(truth);
  const sizes = allocate(PER_UNIT, BANDS, allocation);
  const errors = { indicator: [] as number[], composite: [] as number[] };
  const covered = { indicator: [] as boolean[], composite: [] as boolean[] };
  for (let run = 0; run < runs; run++) {
    const samples = units.map((u) => drawSample(u, sizes, random));
    const input: ScoringInput = {
      methodology,
      units: units.map((_, u) => ({ code: `U${u}`, block: 'sim' })),
      strata: byBand
        ? units.flatMap((_, u) => BANDS.map(({ stratum, size }) => ({ unit: `U${u}`, stratum, population: size })))
        : units.map((_, u) => ({ unit: `U${u}`, stratum: 'all', population: 1000 })),
      responses: samples.flatMap((s, u) => s.map((b) => ({ unit: `U${u}`, stratum: byBand ? b.stratum : 'all', answers: b.answers }))),
    };
    const result = score(input, replicateStreams(seed * 1000 + run));
    result.units.forEach((unit, u) => {
      const t = truths[u]!;
      unit.indicators.forEach((i, k) => {
        // Shares on their own scale; the mean in days relative to its true value.
        errors.indicator.push(k < 3 ? i.value! - t.values[k]! : (i.value! - t.values[k]!) / t.values[k]!);
        covered.indicator.push(i.ci![0] <= t.values[k]! && t.values[k]! <= i.ci![1]);
      });
      errors.composite.push((unit.composite! - t.composite) / t.composite);
      covered.composite.push(unit.compositeCi![0] <= t.composite && t.composite <= unit.compositeCi![1]);
    });
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const rate = (xs: boolean[]) => xs.filter(Boolean).length / xs.length;
  return {
    bias: { indicator: mean(errors.indicator), composite: mean(errors.composite) },
    coverage: { indicator: rate(covered.indicator), composite: rate(covered.composite) },
    intervals: { indicator: covered.indicator.length, composite: covered.composite.length },
  };
}
