import { randomInt } from 'node:crypto';
import type { Catalog } from '../questionnaires/index.js';
import type { UnitPlan } from '../sampling/design.js';
import { WHOLE_UNIT, type MicrodataResponse, type StratumCount } from '../scoring/index.js';

/** What unsealing gathers from the opened envelopes before the microdata is built. */

export type StratifiedResponse = Omit<MicrodataResponse, 'weight' | 'fpc'>;

/** One free-text answer: it stays in the sealed document for the committee, never in a public file. */
export interface FreeText {
  unit: string;
  question: string;
  text: string;
}

export interface FreeTextGroup {
  unit: string;
  question: string;
  /** In random order: nothing about who answered, or when. */
  texts: string[];
}

const textCodesOf = new WeakMap<Catalog, Map<string, Set<string>>>();

/** The codes of a questionnaire's free-text questions (looked up once per questionnaire). */
function textCodes(catalog: Catalog, questionnaire: string): Set<string> {
  const known = textCodesOf.get(catalog) ?? new Map<string, Set<string>>();
  textCodesOf.set(catalog, known);
  let codes = known.get(questionnaire);
  if (!codes) {
    const form = catalog.questionnaires.get(questionnaire);
    codes = new Set(form?.sections.flatMap((s) => s.questions.filter((q) => q.type === 'text').map((q) => q.code)) ?? []);
    known.set(questionnaire, codes);
  }
  return codes;
}

/**
 * The answers without the free-text ones; the non-empty texts go to `sink`. Unsealing keeps every response's
 * coded answers until the results are sealed, so they stay as JSON.parse made them: an object copied key by
 * key ends in V8's dictionary mode once the answers' keys vary from response to response (≈ 1.3 KB a
 * response instead of ≈ 0.3 KB).
 */
export function withoutFreeText(catalog: Catalog, questionnaire: string, unit: string, answers: Record<string, unknown>, sink: FreeText[]): Record<string, unknown> {
  const free = textCodes(catalog, questionnaire);
  if (!Object.keys(answers).some((question) => free.has(question))) return answers;
  const coded: Record<string, unknown> = {};
  for (const [question, value] of Object.entries(answers)) {
    if (!free.has(question)) coded[question] = value;
    else if (typeof value === 'string' && value.trim()) sink.push({ unit, question, text: value.trim() });
  }
  return JSON.parse(JSON.stringify(coded)) as Record<string, unknown>;
}

/** Free texts grouped by unit and question, each group shuffled (Fisher–Yates, CSPRNG). */
export function shuffledByUnit(freeText: readonly FreeText[]): FreeTextGroup[] {
  const groups = new Map<string, FreeTextGroup>();
  for (const { unit, question, text } of freeText) {
    const key = `${unit}\u0000${question}`;
    const group = groups.get(key) ?? { unit, question, texts: [] };
    group.texts.push(text);
    groups.set(key, group);
  }
  const sorted = [...groups.values()].sort((a, b) => a.unit.localeCompare(b.unit) || a.question.localeCompare(b.question));
  for (const { texts } of sorted) {
    for (let i = texts.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [texts[i], texts[j]] = [texts[j]!, texts[i]!];
    }
  }
  return sorted;
}

/**
 * The strata the sample was drawn from, with their frame counts as the design recorded them from the
 * frozen frame: unit × size band (or the unit's one stratum `unknown` when the design did not split by
 * band). A unit with an answer stored before the band travelled in the envelope (stratum `all`) is scored
 * as one stratum, with its whole frame count; so is a unit the design does not know (its frame count from
 * the frame).
 */
export function sampledStrata(
  units: readonly { code: string }[],
  plans: readonly UnitPlan[],
  frameCounts: readonly { unitCode: string; population: number }[],
  responses: readonly StratifiedResponse[],
): { strata: StratumCount[]; responses: StratifiedResponse[] } {
  const whole = new Set(responses.filter((r) => r.stratum === WHOLE_UNIT).map((r) => r.unit));
  const strata = units.flatMap(({ code }): StratumCount[] => {
    const plan = plans.find((p) => p.unitCode === code);
    const population = plan?.frameSize ?? frameCounts.find((c) => c.unitCode === code)?.population ?? 0;
    if (!plan || whole.has(code)) return [{ unit: code, stratum: WHOLE_UNIT, population }];
    return plan.strata.map((s) => ({ unit: code, stratum: s.sizeBand, population: s.size }));
  });
  const unplanned = new Set(units.filter((u) => !plans.some((p) => p.unitCode === u.code)).map((u) => u.code));
  return { strata, responses: responses.map((r) => (whole.has(r.unit) || unplanned.has(r.unit) ? { ...r, stratum: WHOLE_UNIT } : r)) };
}
