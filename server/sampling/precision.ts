import type { Methodology } from '../questionnaires/index.js';
import { completesNeeded, marginFor, zFor, type UnitPlan } from './design.js';

/**
 * Precision planned before the draw (docs/estimation.md §8), pure: for each unit of a design, the margin of
 * error expected of a share and of the DDCI at the sample it will invite, the smallest difference from a
 * typical unit of its block that the sample can tell apart, and per block whether the ranking would be
 * mostly noise — with the sample that would fix it.
 *
 * The DDCI's spread per respondent σ comes from last year's published intervals where the unit (or its
 * block) was surveyed — SE² = (1 − m/N)·σ²/m inverted — and otherwise from a stated assumption: every
 * indicator a share at 50 %, independent, on the full normalisation scale. The block's true spread τ is
 * last year's variance of the ranked composites less their sampling variance; the ranking's reliability is
 * τ²/(τ² + mean SE²), the share of the differences between units that is real.
 */

/** Below this reliability a block's ranking is called mostly noise. */
export const RELIABLE_RANKING = 0.7;
/** The reliability the suggested sample size aims at. */
const TARGET_RELIABILITY = 0.8;
/** Without last year: the share margin above which a block is warned, and the one the suggestion aims at. */
const WIDE_SHARE_MARGIN = 0.1;

/** Last year's figures of a unit (by this year's code): its published DDCI and interval, its invited sample and frame. */
export interface PastUnit {
  respondents: number;
  composite: number | null;
  compositeCi: [number, number] | null;
  planned: number | null;
  frameSize: number | null;
}

export type PrecisionBasis = 'last-year' | 'block-last-year' | 'assumed';

export interface UnitPrecision {
  unitCode: string;
  block: string;
  /** Response rate used: the unit's own last year, or the design's assumption. */
  responseRate: number;
  rateFromLastYear: boolean;
  expectedAnswers: number;
  /** ± of a share at 50 % (the worst case), at the confidence level. */
  shareMargin: number;
  /** ± of the DDCI, in points. */
  compositeMargin: number;
  /** The smallest DDCI difference from a typical unit of its block that lies beyond the uncertainty. */
  detectable: number;
  basis: PrecisionBasis;
}

export interface BlockPrecision {
  block: string;
  units: number;
  /** τ²/(τ² + mean SE²), when last year gives the block's spread. */
  reliability: number | null;
  medianShareMargin: number;
  medianDetectable: number;
  /** The ranking would be mostly noise. */
  noisy: boolean;
  /** Invitations per unit (median over the block) that would reach the target; null when none would (no spread). */
  suggestedPerUnit: number | null;
}

export interface PrecisionInput {
  plans: readonly UnitPlan[];
  /** This year's unit codes and their blocks. */
  blockOf: ReadonlyMap<string, string>;
  methodology: Methodology;
  confidence: number;
  /** The design's assumed response rate. */
  responseRate: number;
  /** Last year's units, by this year's code (absent: no published previous campaign). */
  past?: ReadonlyMap<string, PastUnit>;
}

const median = (xs: readonly number[]) => {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
};
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Sampling variance of a mean of m answers from N with per-answer variance s². */
const varianceOf = (s2: number, m: number, N: number) => (m >= N ? 0 : m <= 0 ? Number.POSITIVE_INFINITY : (s2 * (1 - m / N)) / m);

/** σ of the DDCI per respondent under the stated assumption: shares at 50 %, independent, on the full scale. */
export function assumedSpread(methodology: Methodology, blockCode: string): number {
  const block = methodology.blocks.find((b) => b.code === blockCode);
  if (!block) return Number.NaN;
  const [low, high] = methodology.normalisation.scale;
  let sum = 0;
  for (const [pillar, weight] of Object.entries(block.weights)) {
    const k = methodology.indicators.filter((i) => i.pillar === pillar).length;
    if (weight > 0 && k > 0) sum += k * (weight / k) ** 2;
  }
  return 0.5 * (high - low) * methodology.composite.scale * Math.sqrt(sum);
}

export function plannedPrecision({ plans, blockOf, methodology, confidence, responseRate, past }: PrecisionInput): { units: UnitPrecision[]; blocks: BlockPrecision[] } {
  const z = zFor(confidence);
  // Last year's intervals were published at the methodology's level; this year's margins are at the design's.
  const pastZ = zFor(methodology.bootstrap.confidence);
  // σ² per respondent of last year's units, from their published intervals.
  const pastSpread = new Map<string, number>();
  for (const [code, p] of past ?? []) {
    if (!p.compositeCi || p.respondents < 2) continue;
    const se = (p.compositeCi[1] - p.compositeCi[0]) / (2 * pastZ);
    const f = p.frameSize && p.frameSize > p.respondents ? p.respondents / p.frameSize : 0;
    if (f < 1) pastSpread.set(code, (se * se * p.respondents) / (1 - f));
  }
  const byBlock = new Map<string, UnitPlan[]>();
  for (const plan of plans) {
    const block = blockOf.get(plan.unitCode) ?? '';
    byBlock.set(block, [...(byBlock.get(block) ?? []), plan]);
  }
  const units: UnitPrecision[] = [];
  const blocks: BlockPrecision[] = [];
  for (const [block, members] of byBlock) {
    const blockSpreads = members.flatMap((p) => (pastSpread.has(p.unitCode) ? [pastSpread.get(p.unitCode)!] : []));
    const blockSpread = blockSpreads.length ? median(blockSpreads) : null;
    const assumed = assumedSpread(methodology, block) ** 2;
    const rows = members.map((plan) => {
      const last = past?.get(plan.unitCode);
      const rateFromLastYear = Boolean(last?.planned);
      const rate = rateFromLastYear ? Math.min(1, last!.respondents / last!.planned!) : responseRate;
      const answers = Math.min(plan.frameSize, plan.planned * rate);
      const own = pastSpread.get(plan.unitCode);
      const basis: PrecisionBasis = own !== undefined ? 'last-year' : blockSpread !== null ? 'block-last-year' : 'assumed';
      const s2 = own ?? blockSpread ?? assumed;
      return { plan, rate, rateFromLastYear, answers, s2, basis, variance: varianceOf(s2, answers, plan.frameSize) };
    });
    const typical = median(rows.map((r) => r.variance));
    for (const r of rows) {
      units.push({
        unitCode: r.plan.unitCode,
        block,
        responseRate: r.rate,
        rateFromLastYear: r.rateFromLastYear,
        expectedAnswers: r.answers,
        shareMargin: marginFor(r.plan.frameSize, r.answers, z),
        compositeMargin: z * Math.sqrt(r.variance),
        detectable: z * Math.sqrt(r.variance + typical),
        basis: r.basis,
      });
    }
    const own = units.filter((u) => u.block === block);
    const medianShareMargin = median(own.map((u) => u.shareMargin));
    const medianRate = median(rows.map((r) => r.rate));
    const medianFrame = median(rows.map((r) => r.plan.frameSize));
    // A whole number of businesses to invite: the median of an even count of frames can fall between two.
    const cap = Math.floor(medianFrame);
    // The block's true spread τ², from last year's ranked composites less their sampling variance.
    const lastYear = members.flatMap((p) => {
      const l = past?.get(p.unitCode);
      return l?.composite !== null && l?.composite !== undefined && l.compositeCi ? [{ composite: l.composite, se: (l.compositeCi[1] - l.compositeCi[0]) / (2 * pastZ) }] : [];
    });
    let reliability: number | null = null;
    let suggestedPerUnit: number | null;
    if (lastYear.length >= 3) {
      const centre = mean(lastYear.map((l) => l.composite));
      const observed = lastYear.reduce((a, l) => a + (l.composite - centre) ** 2, 0) / (lastYear.length - 1);
      const tau2 = Math.max(0, observed - mean(lastYear.map((l) => l.se * l.se)));
      reliability = tau2 / (tau2 + mean(rows.map((r) => r.variance)));
      // Answers m with (1 − m/N)·σ²/m = τ²·(1 − R)/R, for the block's median σ² and frame.
      const target = (tau2 * (1 - TARGET_RELIABILITY)) / TARGET_RELIABILITY;
      const s2 = median(rows.map((r) => r.s2));
      suggestedPerUnit = tau2 > 0 ? Math.min(cap, Math.ceil(s2 / (target + s2 / medianFrame) / medianRate)) : null;
    } else {
      suggestedPerUnit = Math.min(cap, Math.ceil(completesNeeded(medianFrame, WIDE_SHARE_MARGIN, z) / medianRate));
    }
    const noisy = reliability !== null ? reliability < RELIABLE_RANKING : medianShareMargin > WIDE_SHARE_MARGIN;
    blocks.push({ block, units: members.length, reliability, medianShareMargin, medianDetectable: median(own.map((u) => u.detectable)), noisy, suggestedPerUnit });
  }
  return { units, blocks };
}
