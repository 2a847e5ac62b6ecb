import type { Message } from '../i18n/index.js';
import type { Methodology, Questionnaire } from './types.js';

/** The shape both the workbook's writer and its reader follow (docs/designer.md §3). */


export const LANGUAGE = { vi: 'Tiếng Việt (vi)', en: 'English (en)' } as const;
export type Lang = keyof typeof LANGUAGE;
export const LANGS: Lang[] = ['vi', 'en'];
export const inLang = (base: string, lang: Lang) => `${base}::${LANGUAGE[lang]}`;
export const textColumns = (base: string) => LANGS.map((l) => inLang(base, l));

/** The lists every questionnaire shares: the five-point scale, yes/no and “don't know”. */
export const SCALE_LISTS = { likert5: 'likert5', yesno: 'yesno', dontKnow: 'dont_know' } as const;


export interface WorkbookProblem {
  sheet: string;
  row?: number;
  column?: string;
  message: Message;
  /** The whole problem in English: “survey, row 14, relevant: no question B9 before this one”. */
  problem: string;
}

export interface WorkbookDocuments {
  questionnaire?: Questionnaire;
  methodology?: Methodology;
}

/** Methodology settings: workbook column, JSON path and kind. */
export const METHOD_SETTINGS: { column: string; get: (m: Methodology) => unknown; kind: 'text' | 'number' }[] = [
  { column: 'methodology_version', get: (m) => m.version, kind: 'text' },
  { column: 'min_answers_per_unit', get: (m) => m.minAnswersPerUnit, kind: 'number' },
  { column: 'pillar_min_indicator_share', get: (m) => m.pillarMinIndicatorShare, kind: 'number' },
  { column: 'min_stratum_respondents', get: (m) => m.minStratumRespondents, kind: 'number' },
  { column: 'normalisation', get: (m) => m.normalisation.method, kind: 'text' },
  { column: 'scale_min', get: (m) => m.normalisation.scale[0], kind: 'number' },
  { column: 'scale_max', get: (m) => m.normalisation.scale[1], kind: 'number' },
  { column: 'all_equal_score', get: (m) => m.normalisation.allEqualScore, kind: 'number' },
  { column: 'bounds', get: (m) => m.normalisation.bounds, kind: 'text' },
  { column: 'pooled_years', get: (m) => m.normalisation.pooledYears, kind: 'number' },
  { column: 'composite_scale', get: (m) => m.composite.scale, kind: 'number' },
  { column: inLang('composite_description', 'vi'), get: (m) => m.composite.description?.vi, kind: 'text' },
  { column: inLang('composite_description', 'en'), get: (m) => m.composite.description?.en, kind: 'text' },
  { column: 'bootstrap_replicates', get: (m) => m.bootstrap.replicates, kind: 'number' },
  { column: 'bootstrap_confidence', get: (m) => m.bootstrap.confidence, kind: 'number' },
  { column: 'share_interval', get: (m) => m.shareInterval, kind: 'text' },
];
