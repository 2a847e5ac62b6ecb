import type { Block, Indicator, Methodology } from '../questionnaires/index.js';
import type { Estimate } from './estimate.js';

/**
 * The types the scoring engine, its bootstrap and the yearly series share (docs/design.md §7): the input,
 * the prepared data, the replicates and the results. Types only, so those modules import this file and
 * not each other for their shapes.
 */

/** Per block, the [min, max] each indicator is normalised between. */
export type Bounds = Record<string, [number, number]>;

export interface ScoredResponse {
  unit: string;
  stratum: string;
  answers: Record<string, unknown>;
}

export interface ScoringInput {
  methodology: Methodology;
  /** Every unit with the code of its block. */
  units: { code: string; block: string }[];
  /** Frame count of every stratum (unit × stratum label, e.g. a size band, or "all"). */
  strata: { unit: string; stratum: string; population: number }[];
  /**
   * One per response, in a fixed order (the bootstrap draws by position); or, given unit by unit, a unit's
   * responses in that order (microdata too large to hold as objects at once).
   */
  responses: readonly ScoredResponse[] | ((unit: string) => readonly ScoredResponse[]);
  /** Per block, indicator bounds over the past years' ranked units, when the methodology pools bounds. */
  pooledBounds?: Record<string, Bounds>;
  /** Respondents of units under the minimum whose answers were withheld (the disclosure rule): counted, never scored. */
  withheld?: Record<string, number>;
}

export interface IndicatorScore {
  code: string;
  /** Weighted share of favourable answers (0–1) or weighted mean, over valid answers; null with none. */
  value: number | null;
  /** Linearised design-based SE (R's svymean); the interval is svyciprop's for a share (inside [0, 1]), the normal one for a mean. */
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

export interface UnitScore {
  unit: string;
  block: string;
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
  /** Rank within the block (1 = best); tied units share a rank; null when not ranked. */
  rank: number | null;
  /** The ranks the unit held in the central `level` share of bootstrap replicates. */
  rankRange: [number, number] | null;
  /** Index into the block's tier bands. */
  tier: number | null;
}

export interface ScoringResult {
  methodology: string;
  level: number;
  replicates: number;
  /** Per block, the min–max bounds each indicator was normalised with (observed, pooled or fixed). */
  bounds: Record<string, Bounds>;
  units: UnitScore[];
  /** Change from last year, per unit, when the previous campaign of the series was given. */
  changes?: UnitChange[];
}

/**
 * One unit's strata and its respondents' indicator values, grouped by stratum, respondent by respondent: the
 * K indicators of respondent i at [i·K, (i + 1)·K). Scoring builds it for one unit at a time, takes the
 * point estimates and the bootstrap replicates from it, and drops it (docs/design.md §7, Scale); with worker
 * threads, on shared memory that they read in place (parallel.ts).
 */
export interface UnitData {
  code: string;
  strata: UnitStratum[];
  /** values[i·K + k]: respondent i's value of indicator k, 0 when missing. */
  values: Float64Array;
  /** valid[i·K + k]: 1 when respondent i has a value of indicator k, 0 when it is missing. */
  valid: Uint8Array;
  respondents: number;
}

/** A stratum of a unit: its frame count, and where its respondents are in the unit's values. */
export interface UnitStratum {
  population: number;
  start: number;
  size: number;
}

/** What scoring keeps of a unit once its values are read: its strata, respondents and point estimates. */
export interface UnitSummary {
  code: string;
  strata: UnitStratum[];
  respondents: number;
  /** Per indicator, the stratified mean and its linearised SE (null without a valid answer). */
  estimates: (Estimate | null)[];
}

/** One bootstrap replicate of a block: per unit (in code order) its indicator values, pillar scores, composite and rank. */
export interface ReplicateDraw {
  indicators: (number | null)[][];
  pillars: (number | null)[][];
  composites: (number | null)[];
  ranks: (number | null)[];
}

/** The bootstrap replicates of each block (by code), by replicate number. */
export type BootstrapDraws = Record<string, ReplicateDraw[]>;

/** A block as scoring plans it before reading any answer: its pillars, indicators and units (in code order). */
export interface PlannedBlock {
  block: Block;
  pillars: Methodology['pillars'];
  indicators: Indicator[];
  units: string[];
}

export interface ScoringPlan {
  methodology: Methodology;
  pooledBounds?: Record<string, Bounds>;
  /** The blocks that have units. */
  blocks: PlannedBlock[];
}

export interface PreparedBlock extends Omit<PlannedBlock, 'units'> {
  units: UnitSummary[];
  rankable: boolean[];
}

/**
 * Every unit read once: per block its pillars, indicators, and each unit's point estimates. Plain data, so
 * worker threads receive it cheaply (it holds no response).
 */
export interface PreparedScoring extends Omit<ScoringPlan, 'blocks'> {
  blocks: PreparedBlock[];
}

/** To a bootstrap thread (parallel.ts): a block's next unit to add, or — every unit added — the units read, to score its replicates. */
export type BootstrapRequest = { block: number; units: number; K: number; unit: UnitData } | { prepared: PreparedScoring };

/** A unit of this year and the unit(s) of last year it continues (renamed: one; merged: several). */
export interface UnitLink {
  code: string;
  previous: string;
}

export type NotComparable = 'new' | 'merged' | 'split' | 'other-block' | 'indicators-changed' | 'not-ranked';

export interface UnitChange {
  unit: string;
  /** Last year's units this one continues. */
  previous: string[];
  /** Why this year's figure cannot be set against last year's; absent when it can. */
  notComparable?: NotComparable;
  composite?: {
    previous: number;
    /** This year's composite minus last year's. */
    change: number;
    /** Interval of the change at the results' level, from the two years' bootstrap replicates (independent samples). */
    ci: [number, number];
    /** The interval excludes 0: the change is larger than the two years' uncertainty. */
    beyondUncertainty: boolean;
  };
  /** Last year's rank and how many places the unit rose (negative: fell). */
  rank?: { previous: number; rise: number };
  tier?: { previous: number; changed: boolean };
}
