import type { Methodology } from '../questionnaires/index.js';
import { prepareWithReplicates, scorePrepared, type BootstrapDraws, type PreparedScoring, type ScoringInput, type ScoringResult } from './engine.js';
import { changesFromLastYear, replicateComposites, type UnitLink, type YearScores } from './series.js';
import type { Bounds } from './types.js';
import { replicateStreams, seedFromText } from './random.js';
import { collapseStrata, respondentCounts, splitStratumKey, stratumKey, type Collapsed, type StratumCount } from './strata.js';

/**
 * The anonymised microdata a campaign publishes with its results (`DDCI-MICRODATA/3`): per response only
 * the unit, its stratum (size band, after disclosure control), design weight and fpc, the questionnaire
 * version, the mode and the coded answers — no id, no receipt, no free text, no order of arrival
 * (responses are sorted by content) — with the frame counts the weights come from and the bootstrap seed.
 * `ddci score` recomputes every published figure from it. Pure.
 *
 * /3 withholds the answers of a unit under the minimum number of answers (only their count is kept,
 * `disclosure.withheld`): none of its figures is published, so none of its answers is either. /2 files,
 * which still hold them, are read as before so that earlier publications keep reproducing.
 */
export const MICRODATA_FORMAT = 'DDCI-MICRODATA/3';
const EARLIER_FORMATS = ['DDCI-MICRODATA/2'];

/** The stratum of responses stored before the size band travelled in the envelope: the whole unit. */
export const WHOLE_UNIT = 'all';

export interface MicrodataResponse {
  unit: string;
  stratum: string;
  /** Design weight N_h / n_h: the stratum's frame count over its respondents. */
  weight: number;
  /** The stratum's frame count N_h (R's svydesign `fpc` as a population size). */
  fpc: number;
  questionnaire: string;
  mode: string;
  answers: Record<string, unknown>;
}

export interface Microdata {
  format: typeof MICRODATA_FORMAT | 'DDCI-MICRODATA/2';
  campaign: { id: string; province: string; year: number; title: string };
  methodology: string;
  /** Text the bootstrap's seed is derived from (seedFromText), published with the results. */
  seed: string;
  /** Every unit with its block (code, as the methodology defines it). */
  units: { code: string; block: string; nameVi: string; nameEn: string }[];
  strata: StratumCount[];
  /**
   * The disclosure rules: band cells under k respondents merged (server/scoring/strata.ts), and units under
   * the minimum number of answers withheld — their respondents counted, their answers and strata left out.
   */
  disclosure: { minStratumRespondents: number; collapsed: Collapsed[]; minAnswersPerUnit?: number; withheld?: WithheldUnit[] };
  /** The campaign's place in its series: last year's campaign, which units continue which, pooled past bounds. */
  series?: MicrodataSeries;
  responses: MicrodataResponse[];
}

export interface WithheldUnit {
  unit: string;
  respondents: number;
}

export interface MicrodataSeries {
  previousCampaign: string;
  links: UnitLink[];
  /** Per block, indicator bounds over the past years' units, pooled with this year's (methodology `pooled`). */
  pastBounds?: Record<string, Bounds>;
  /**
   * Per block, the indicators that do not measure what they measured last year (question reworded, answers or
   * favourable answers changed, not marked comparable — docs/designer.md §5): the block's composites are then
   * not compared with last year's.
   */
  changedIndicators?: Record<string, string[]>;
}

/** A response before the disclosure rules give it its stratum's weight. */
export type UnweightedResponse = Omit<MicrodataResponse, 'weight' | 'fpc'>;

export interface MicrodataInput {
  campaign: Microdata['campaign'];
  methodology: string;
  seed: string;
  units: Microdata['units'];
  /** Frame counts of the unit × band strata the sample was drawn from. */
  strata: StratumCount[];
  responses: UnweightedResponse[];
  minStratumRespondents: number;
  /** The methodology's minimum number of answers for a unit to be ranked: below it, answers are withheld. */
  minAnswersPerUnit: number;
  bandOrder: readonly string[];
  series?: MicrodataSeries;
}

/** Responses as the microdata is built from them: how many per unit × stratum, and a unit's in the published order. */
export interface ResponsesByUnit {
  /** Respondents per unit × stratum (stratumKey). */
  counts(): ReadonlyMap<string, number>;
  /** A unit's responses, each with the stratum `stratumOf` gives it, in the published order (`sortResponses`). */
  ofUnit(unit: string, stratumOf: (unit: string, stratum: string) => string): UnweightedResponse[];
  /** `ofUnit` as JSON records joined by commas, each `head(stratum)` then the rest of the record (ResponseTable's, without objects). */
  recordsJson?(unit: string, stratumOf: (unit: string, stratum: string) => string, head: (stratum: string) => string): string;
}

/**
 * Microdata whose responses are given unit by unit, never all as objects at once (unsealing's, from a
 * ResponseTable): the document without its responses, the units that have some, in the published order,
 * and each unit's weighted responses in the published order.
 */
export interface MicrodataByUnit {
  header: Omit<Microdata, 'responses'>;
  units: string[];
  responsesOf(unit: string): MicrodataResponse[];
  /** `responsesOf(unit)` as JSON.stringify writes each, joined by commas — when the source can write them without the objects. */
  recordsJson?(unit: string): string;
}

/** Applies the disclosure rules (units under the minimum withheld, small band cells merged), then gives every response its stratum's weight and fpc. */
export function buildMicrodata(input: MicrodataInput): Microdata {
  const { header, units, responsesOf } = microdataByUnit(input, arrayByUnit(input.responses));
  return { ...header, responses: units.flatMap(responsesOf) };
}

/** `buildMicrodata`, its responses read unit by unit from `source` when asked for. */
export function microdataByUnit(input: Omit<MicrodataInput, 'responses'>, source: ResponsesByUnit): MicrodataByUnit {
  const counts = source.counts();
  const perUnit = new Map<string, number>();
  const cells = [...counts].map(([key, n]) => {
    const [unit, stratum] = splitStratumKey(key);
    perUnit.set(unit, (perUnit.get(unit) ?? 0) + n);
    return { unit, stratum, n };
  });
  const withheld = [...perUnit].filter(([, n]) => n < input.minAnswersPerUnit).map(([unit, respondents]) => ({ unit, respondents })).sort((a, b) => a.unit.localeCompare(b.unit));
  const hidden = new Set(withheld.map((w) => w.unit));
  const kept = cells.filter((c) => !hidden.has(c.unit));
  const { strata, labelOf, collapsed } = collapseStrata(
    input.strata.filter((s) => !hidden.has(s.unit)),
    new Map(kept.map((c) => [stratumKey(c.unit, c.stratum), c.n])),
    input.minStratumRespondents,
    input.bandOrder,
  );
  const respondents = new Map<string, number>();
  for (const c of kept) {
    const key = stratumKey(c.unit, labelOf(c.unit, c.stratum));
    respondents.set(key, (respondents.get(key) ?? 0) + c.n);
  }
  const population = new Map(strata.map((s) => [stratumKey(s.unit, s.stratum), s.population]));
  /** A stratum's design weight N_h / n_h and frame count N_h. */
  const weighting = (unit: string, stratum: string) => {
    const key = stratumKey(unit, stratum);
    const fpc = population.get(key) ?? 0;
    return { weight: fpc / respondents.get(key)!, fpc };
  };
  const recordsJson = source.recordsJson?.bind(source);
  return {
    header: {
      format: MICRODATA_FORMAT,
      campaign: input.campaign,
      methodology: input.methodology,
      seed: input.seed,
      units: input.units,
      strata,
      disclosure: { minStratumRespondents: input.minStratumRespondents, collapsed, minAnswersPerUnit: input.minAnswersPerUnit, withheld },
      ...(input.series ? { series: input.series } : {}),
    },
    units: [...new Set(kept.map((c) => c.unit))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    responsesOf: (unit) => (hidden.has(unit) ? [] : source.ofUnit(unit, labelOf).map(({ stratum, questionnaire, mode, answers }) => ({ unit, stratum, ...weighting(unit, stratum), questionnaire, mode, answers }))),
    ...(recordsJson && {
      recordsJson: (unit: string) =>
        hidden.has(unit)
          ? ''
          : recordsJson(unit, labelOf, (stratum) => {
              const { weight, fpc } = weighting(unit, stratum);
              return `{"unit":${JSON.stringify(unit)},"stratum":${JSON.stringify(stratum)},"weight":${JSON.stringify(weight)},"fpc":${JSON.stringify(fpc)},`;
            }),
    }),
  };
}

/** Responses held as objects, read unit by unit. */
function arrayByUnit(responses: readonly UnweightedResponse[]): ResponsesByUnit {
  const groups = new Map<string, UnweightedResponse[]>();
  for (const r of responses) {
    const group = groups.get(r.unit);
    if (group) group.push(r);
    else groups.set(r.unit, [r]);
  }
  return {
    counts: () => respondentCounts(responses),
    ofUnit: (unit, stratumOf) => sortResponses((groups.get(unit) ?? []).map((r) => ({ ...r, stratum: stratumOf(r.unit, r.stratum) }))),
  };
}

/** Canonical JSON: object keys sorted, so equal answers serialise equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const orderKey = (r: UnweightedResponse) => `${r.unit}\u0000${r.stratum}\u0000${canonicalJson(r.answers)}\u0000${r.mode}\u0000${r.questionnaire}`;

/**
 * Responses in the published order: by unit, stratum, then canonical answers (nothing about arrival).
 * Responses already in that order (published microdata are) come back as they are, checked one key at a
 * time rather than with a key held for every response.
 */
export function sortResponses<T extends UnweightedResponse>(responses: T[]): T[] {
  let previous = '';
  const inOrder = responses.every((r) => {
    const key = orderKey(r);
    const ordered = previous <= key;
    previous = key;
    return ordered;
  });
  if (inOrder) return responses;
  const keyed = responses.map((r) => ({ r, key: orderKey(r) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.r);
}

/** Microdata held whole (published, read from a file) or given unit by unit (unsealing's). */
export type AnyMicrodata = Microdata | MicrodataByUnit;

/** The microdata's document without its responses (a whole one's keeps them: spread over, they are replaced). */
export const headerOf = (microdata: AnyMicrodata): Omit<Microdata, 'responses'> => ('responsesOf' in microdata ? microdata.header : microdata);

export function scoringInputOf(microdata: AnyMicrodata, methodology: Methodology): ScoringInput {
  const header = headerOf(microdata);
  if (header.format !== MICRODATA_FORMAT && !EARLIER_FORMATS.includes(header.format)) throw new Error(`not ${MICRODATA_FORMAT} microdata`);
  if (header.methodology !== methodology.version) throw new Error(`the microdata was scored with methodology ${header.methodology}, not ${methodology.version}`);
  // Microdata built here carry their stratum's weights; a file's are checked (a hand-edited one fails here).
  const byUnit = 'responsesOf' in microdata;
  if (!byUnit) checkWeights(microdata);
  const withheld = header.disclosure.withheld ?? [];
  for (const w of withheld) {
    const answered = byUnit ? microdata.units.includes(w.unit) : microdata.responses.some((r) => r.unit === w.unit);
    // A withheld unit is one the minimum leaves unranked, and the file holds none of its answers.
    if (!(w.respondents < methodology.minAnswersPerUnit) || answered) throw new Error(`unit ${w.unit}: withheld with ${w.respondents} respondents, which the minimum of ${methodology.minAnswersPerUnit} answers does not explain`);
  }
  return {
    methodology,
    units: header.units.map((u) => ({ code: u.code, block: u.block })),
    ...(withheld.length ? { withheld: Object.fromEntries(withheld.map((w) => [w.unit, w.respondents])) } : {}),
    strata: header.strata,
    responses: byUnit ? microdata.responsesOf : sortResponses(microdata.responses),
    ...(header.series?.pastBounds ? { pooledBounds: header.series.pastBounds } : {}),
  };
}

/** Last year's published microdata and the methodology it was scored with. */
export interface PreviousYear {
  microdata: Microdata;
  methodology: Methodology;
}

/** A year's microdata as the scoring engine reads it, with the seed its bootstrap streams come from. */
export function yearInput(microdata: AnyMicrodata, methodology: Methodology): { input: ScoringInput; seed: number } {
  return { input: scoringInputOf(microdata, methodology), seed: seedFromText(headerOf(microdata).seed) };
}

/** A year's figures from its units read and its bootstrap replicates (computed on this thread or in workers). */
export function finishYear(prepared: PreparedScoring, draws: BootstrapDraws): YearScores {
  return { result: scorePrepared(prepared, draws), composites: replicateComposites(prepared, draws) };
}

/** This year's results, with the change from last year when last year's scores are given. */
export function withChanges(microdata: AnyMicrodata, year: YearScores, before?: { year: YearScores; campaign: string }): ScoringResult {
  if (!before) return year.result;
  const { series } = headerOf(microdata);
  if (series?.previousCampaign !== before.campaign) throw new Error(`the microdata follows campaign ${series?.previousCampaign ?? '(none)'}, not ${before.campaign}`);
  return { ...year.result, changes: changesFromLastYear(year, before.year, series.links, series.changedIndicators) };
}

/**
 * Every figure from microdata, on this thread: the bootstrap streams come from the microdata's published
 * seed. Given last year's published microdata, also the change from last year of every unit that
 * continues one of its units.
 */
export function scoreMicrodata(microdata: AnyMicrodata, methodology: Methodology, previous?: PreviousYear): ScoringResult {
  const scoreYear = (m: AnyMicrodata, method: Methodology) => {
    const { input, seed } = yearInput(m, method);
    const { prepared, draws } = prepareWithReplicates(input, replicateStreams(seed));
    return finishYear(prepared, draws);
  };
  const before = previous && { year: scoreYear(previous.microdata, previous.methodology), campaign: previous.microdata.campaign.id };
  return withChanges(microdata, scoreYear(microdata, methodology), before);
}

/** Each record's weight and fpc must be its stratum's: N_h / n_h and N_h (a hand-edited file fails here). */
function checkWeights(microdata: Microdata): void {
  const respondents = respondentCounts(microdata.responses);
  const population = new Map(microdata.strata.map((s) => [stratumKey(s.unit, s.stratum), s.population]));
  for (const r of microdata.responses) {
    const key = stratumKey(r.unit, r.stratum);
    const N = population.get(key);
    if (N === undefined || r.fpc !== N || Math.abs(r.weight - N / respondents.get(key)!) > 1e-9 * Math.max(1, r.weight)) {
      throw new Error(`unit ${r.unit}, stratum ${r.stratum}: weight ${r.weight} and fpc ${r.fpc} do not match the frame count ${N ?? 'missing'}`);
    }
  }
}
