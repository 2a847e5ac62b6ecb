/** The shapes of survey-schemas/ files (their meta-schemas are the authority; these mirror them). */

export interface Text {
  vi: string;
  en: string;
}

export type QuestionType = 'likert5' | 'yesno' | 'single' | 'multiple' | 'number' | 'text';

export interface Question {
  code: string;
  type: QuestionType;
  text: Text;
  required: boolean;
  /** Offers “don't know / not applicable”, which counts as missing, never as zero. */
  dontKnow: boolean;
  options?: { code: string; label: Text }[];
  min?: number;
  max?: number;
  unit?: Text;
  maxLength?: number;
}

export interface Questionnaire {
  id: string;
  version: string;
  unitKind: 'department' | 'district';
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
}

export interface Methodology {
  version: string;
  questionnaires: { department: string; district: string };
  minAnswersPerUnit: number;
  /** Share of a pillar's indicators that need valid answers for the pillar to be scored (default 1: all). */
  pillarMinIndicatorShare?: number;
  /** Disclosure control: a size-band stratum with fewer respondents is collapsed within its unit (default 5). */
  minStratumRespondents?: number;
  normalisation: { method: 'min-max'; scale: [number, number]; allEqualScore: number; bounds: 'observed' | 'pooled' | 'fixed'; fixedBounds?: Record<string, [number, number]> };
  composite: { scale: number; description?: Text };
  bootstrap: { replicates: number; confidence: number };
  tiers: { min: number; label: Text }[];
  pillars: { code: string; name: Text; weights: Partial<Record<'department' | 'district', number>> }[];
  indicators: Indicator[];
}

/** The value a “don't know / not applicable” answer takes in every question that offers it. */
export const DONT_KNOW = 'DK';
