/** The shapes of survey-schemas/ files (their meta-schemas are the authority; these mirror them). */

export interface Text {
  vi: string;
  en: string;
}

export type QuestionType = 'likert5' | 'yesno' | 'single' | 'multiple' | 'number' | 'text';

/** A question asked only when the answer to an earlier choice question is one of `anyOf` (XLSForm's `relevant`). */
export interface DisplayRule {
  question: string;
  anyOf: string[];
}

export interface Question {
  code: string;
  type: QuestionType;
  text: Text;
  /** Shown under the question (XLSForm's `hint`). */
  help?: Text;
  required: boolean;
  /** Offers “don't know / not applicable”, which counts as missing, never as zero. */
  dontKnow: boolean;
  options?: { code: string; label: Text }[];
  min?: number;
  max?: number;
  /** A whole number (XLSForm's `integer`); otherwise decimals are accepted. */
  integer?: boolean;
  unit?: Text;
  maxLength?: number;
  showIf?: DisplayRule;
}

export interface Questionnaire {
  id: string;
  version: string;
  title: Text;
  intro?: Text;
  scales: { likert5: Record<string, Text>; yesno: Record<string, Text>; dontKnow: Text };
  sections: { code: string; title: Text; questions: Question[] }[];
}

export interface Indicator {
  code: string;
  question: string;
  pillar: string;
  measure: 'share' | 'mean';
  favourable?: string[];
  direction: 'higher' | 'lower';
  /** Compared with last year although its question or answers changed: the designer's reason (docs/designer.md §5). */
  comparable?: { reason: Text };
}

/** How a block's composites become tiers: fixed bands of the composite, or shares of the block's ranking. */
export type TierScheme =
  | { scheme: 'fixed'; bands: { min: number; label: Text }[] }
  /** A unit ranked r of n ranked units is in the first band with (r − 1)/n < upTo (the last band has 1). */
  | { scheme: 'relative'; bands: { upTo: number; label: Text }[] };

/** A block (khối) of units scored and ranked together, with its questionnaire, pillar weights and tiers. */
export interface Block {
  code: string;
  name: Text;
  questionnaire: string;
  /** Pillar code → weight; the weights sum to 1; pillars not named do not score this block. */
  weights: Record<string, number>;
  tiers: TierScheme;
}

export interface Methodology {
  version: string;
  minAnswersPerUnit: number;
  /** Share of a pillar's indicators that need valid answers for the pillar to be scored (default 1: all). */
  pillarMinIndicatorShare?: number;
  /** Disclosure control: a size-band stratum with fewer respondents is collapsed within its unit (default 5). */
  minStratumRespondents?: number;
  normalisation: {
    method: 'min-max';
    scale: [number, number];
    allEqualScore: number;
    /** observed: this year's ranked units; pooled: with the last `pooledYears` − 1 published years of the series; fixed: `fixedBounds`. */
    bounds: 'observed' | 'pooled' | 'fixed';
    fixedBounds?: Record<string, [number, number]>;
    pooledYears?: number;
  };
  composite: { scale: number; description?: Text };
  bootstrap: { replicates: number; confidence: number };
  /** Interval of a share indicator: R's svyciprop `logit` (default) or Korn–Graubard `beta` (docs/estimation.md §3). */
  shareInterval?: 'logit' | 'beta';
  pillars: { code: string; name: Text }[];
  blocks: Block[];
  indicators: Indicator[];
}

/** The value a “don't know / not applicable” answer takes in every question that offers it. */
export const DONT_KNOW = 'DK';
