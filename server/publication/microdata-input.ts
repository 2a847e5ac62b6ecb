import { randomInt } from 'node:crypto';
import type { Catalog } from '../questionnaires/index.js';
import type { UnitPlan } from '../sampling/design.js';
import { splitStratumKey, WHOLE_UNIT, type StratumCount } from '../scoring/index.js';

/** What unsealing gathers from the opened envelopes besides the coded answers (a ResponseTable). */

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
 * The free-text answers unsealing gathers, grouped by unit and question as they come; equal texts are held
 * once ("Không có ý kiến" a thousand times is one string).
 */
export class FreeTextSink {
  private readonly groups = new Map<string, FreeTextGroup>();
  private readonly known = new Map<string, string>();

  add({ unit, question, text }: FreeText): void {
    const key = `${unit}\u0000${question}`;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { unit, question, texts: [] }));
    let held = this.known.get(text);
    if (held === undefined) this.known.set(text, (held = text));
    group.texts.push(held);
  }

  /** The groups by unit and question, each shuffled (Fisher–Yates, CSPRNG): nothing about who wrote what, or when. */
  shuffled(): FreeTextGroup[] {
    const sorted = [...this.groups.values()].sort((a, b) => a.unit.localeCompare(b.unit) || a.question.localeCompare(b.question));
    for (const { texts } of sorted) {
      for (let i = texts.length - 1; i > 0; i--) {
        const j = randomInt(i + 1);
        [texts[i], texts[j]] = [texts[j]!, texts[i]!];
      }
    }
    return sorted;
  }
}

/**
 * The answers without the free-text ones; the non-empty texts go to `sink`. A response without free text
 * keeps its answers as JSON.parse made them (no copy).
 */
export function withoutFreeText(catalog: Catalog, questionnaire: string, unit: string, answers: Record<string, unknown>, sink: FreeTextSink): Record<string, unknown> {
  const free = textCodes(catalog, questionnaire);
  if (!Object.keys(answers).some((question) => free.has(question))) return answers;
  const coded: Record<string, unknown> = {};
  for (const [question, value] of Object.entries(answers)) {
    if (!free.has(question)) coded[question] = value;
    else if (typeof value === 'string' && value.trim()) sink.add({ unit, question, text: value.trim() });
  }
  return coded;
}

/** Free texts grouped by unit and question, each group shuffled (see FreeTextSink). */
export function shuffledByUnit(freeText: readonly FreeText[]): FreeTextGroup[] {
  const sink = new FreeTextSink();
  for (const text of freeText) sink.add(text);
  return sink.shuffled();
}

/**
 * The strata the sample was drawn from, with their frame counts as the design recorded them from the
 * frozen frame: unit × size band (or the unit's one stratum `unknown` when the design did not split by
 * band). A unit with an answer stored before the band travelled in the envelope (stratum `all`) is scored
 * as one stratum, with its whole frame count; so is a unit the design does not know (its frame count from
 * the frame). `counts`: respondents per unit × stratum (respondentCounts); `stratumOf` gives each response its stratum.
 */
export function sampledStrata(
  units: readonly { code: string }[],
  plans: readonly UnitPlan[],
  frameCounts: readonly { unitCode: string; population: number }[],
  counts: ReadonlyMap<string, number>,
): { strata: StratumCount[]; stratumOf: (unit: string, stratum: string) => string } {
  const whole = new Set([...counts.keys()].map(splitStratumKey).filter(([, stratum]) => stratum === WHOLE_UNIT).map(([unit]) => unit));
  const strata = units.flatMap(({ code }): StratumCount[] => {
    const plan = plans.find((p) => p.unitCode === code);
    const population = plan?.frameSize ?? frameCounts.find((c) => c.unitCode === code)?.population ?? 0;
    if (!plan || whole.has(code)) return [{ unit: code, stratum: WHOLE_UNIT, population }];
    return plan.strata.map((s) => ({ unit: code, stratum: s.sizeBand, population: s.size }));
  });
  const unplanned = new Set(units.filter((u) => !plans.some((p) => p.unitCode === u.code)).map((u) => u.code));
  return { strata, stratumOf: (unit, stratum) => (whole.has(unit) || unplanned.has(unit) ? WHOLE_UNIT : stratum) };
}
