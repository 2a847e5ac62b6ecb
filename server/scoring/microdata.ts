import type { Methodology } from '../questionnaires/index.js';
import { score, type ScoringInput, type ScoringResult, type UnitKind } from './engine.js';
import { replicateStreams, seedFromText } from './random.js';

/**
 * The anonymised microdata a campaign publishes with its results (`DDCI-MICRODATA/1`): per response only
 * the unit, the stratum, the questionnaire version, the mode and the answers — no id, no receipt, no
 * order of arrival (responses are sorted by content) — with the frame counts the weights come from and
 * the bootstrap seed. `ddci score` recomputes every published figure from it. Pure.
 */
export const MICRODATA_FORMAT = 'DDCI-MICRODATA/1';

export interface Microdata {
  format: typeof MICRODATA_FORMAT;
  campaign: { id: string; province: string; year: number; title: string };
  methodology: string;
  /** Text the bootstrap's seed is derived from (seedFromText), published with the results. */
  seed: string;
  units: { code: string; kind: UnitKind; nameVi: string; nameEn: string }[];
  strata: { unit: string; stratum: string; population: number }[];
  responses: { unit: string; stratum: string; questionnaire: string; mode: string; answers: Record<string, unknown> }[];
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

/** Responses in the published order: by unit, stratum, then canonical answers (nothing about arrival). */
export function sortResponses(responses: Microdata['responses']): Microdata['responses'] {
  const keyed = responses.map((r) => ({ r, key: `${r.unit}\u0000${r.stratum}\u0000${canonicalJson(r.answers)}\u0000${r.mode}\u0000${r.questionnaire}` }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.r);
}

export function scoringInputOf(microdata: Microdata, methodology: Methodology): ScoringInput {
  if (microdata.format !== MICRODATA_FORMAT) throw new Error(`not ${MICRODATA_FORMAT} microdata`);
  if (microdata.methodology !== methodology.version) throw new Error(`the microdata was scored with methodology ${microdata.methodology}, not ${methodology.version}`);
  return {
    methodology,
    units: microdata.units.map((u) => ({ code: u.code, kind: u.kind })),
    strata: microdata.strata,
    responses: sortResponses(microdata.responses),
  };
}

/** Every figure from microdata: the bootstrap streams come from the microdata's published seed. */
export function scoreMicrodata(microdata: Microdata, methodology: Methodology): ScoringResult {
  return score(scoringInputOf(microdata, methodology), replicateStreams(seedFromText(microdata.seed)));
}
