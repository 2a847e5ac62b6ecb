import { PERCENT_SPACE } from '../i18n/format.js';
import type { Message } from '../i18n/index.js';
import { questionsOf } from './answer-schema.js';
import { blockQuestionnaire, type Catalog } from './catalog.js';
import type { Block, Indicator, Methodology, Question, Questionnaire, Text } from './types.js';

/**
 * What changed between two versions, in words (docs/designer.md §5), and which indicators can still be
 * compared with last year's: one whose question was reworded, whose answers changed or whose favourable
 * answers or measure changed is not the same measurement, unless the designer marked it comparable with
 * a reason. Pure.
 */

/** Equal values, whatever order their keys come in (PostgreSQL's jsonb hands them back reordered); undefined fields are absent. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = (o: object) => Object.keys(o).filter((k) => (o as Record<string, unknown>)[k] !== undefined);
  const [ka, kb] = [keys(a), keys(b)];
  return ka.length === kb.length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
const sameText = (a: Text | undefined, b: Text | undefined) => a?.vi === b?.vi && a?.en === b?.en;
const list = (values: string[]) => values.join(', ');

export function questionnaireChanges(before: Questionnaire, after: Questionnaire): Message[] {
  const changes: Message[] = [];
  const old = new Map(questionsOf(before).map((q) => [q.code, q]));
  const now = new Map(questionsOf(after).map((q) => [q.code, q]));
  if (!sameText(before.title, after.title)) changes.push({ key: 'diff.title', params: { text: after.title.vi } });
  for (const [code, q] of now) {
    const was = old.get(code);
    if (!was) {
      changes.push({ key: 'diff.questionAdded', params: { code, text: q.text.vi } });
      continue;
    }
    changes.push(...questionChanges(was, q));
  }
  for (const code of old.keys()) if (!now.has(code)) changes.push({ key: 'diff.questionRemoved', params: { code, text: old.get(code)!.text.vi } });
  const order = (q: Questionnaire) => questionsOf(q).map((x) => x.code).filter((c) => old.has(c) && now.has(c));
  if (!same(order(before), order(after))) changes.push({ key: 'diff.reordered' });
  for (const scale of ['likert5', 'yesno'] as const) if (!same(before.scales[scale], after.scales[scale])) changes.push({ key: 'diff.scale', params: { scale } });
  return changes;
}

function questionChanges(was: Question, q: Question): Message[] {
  const code = q.code;
  const changes: Message[] = [];
  if (!sameText(was.text, q.text)) changes.push({ key: 'diff.reworded', params: { code, before: was.text.vi, after: q.text.vi } });
  if (was.type !== q.type) changes.push({ key: 'diff.type', params: { code, before: was.type, after: q.type } });
  const options = (x: Question) => new Map((x.options ?? []).map((o) => [o.code, o.label]));
  const [a, b] = [options(was), options(q)];
  const added = [...b.keys()].filter((c) => !a.has(c));
  const removed = [...a.keys()].filter((c) => !b.has(c));
  const relabelled = [...b.keys()].filter((c) => a.has(c) && !sameText(a.get(c), b.get(c)));
  if (added.length) changes.push({ key: 'diff.optionsAdded', params: { code, options: list(added) } });
  if (removed.length) changes.push({ key: 'diff.optionsRemoved', params: { code, options: list(removed) } });
  if (relabelled.length) changes.push({ key: 'diff.optionsRelabelled', params: { code, options: list(relabelled) } });
  if (was.required !== q.required) changes.push({ key: q.required ? 'diff.nowRequired' : 'diff.nowOptional', params: { code } });
  if (was.dontKnow !== q.dontKnow) changes.push({ key: q.dontKnow ? 'diff.dontKnowAdded' : 'diff.dontKnowRemoved', params: { code } });
  if (was.min !== q.min || was.max !== q.max || Boolean(was.integer) !== Boolean(q.integer)) changes.push({ key: 'diff.bounds', params: { code, before: `${was.min ?? ''}–${was.max ?? ''}`, after: `${q.min ?? ''}–${q.max ?? ''}` } });
  if (!same(was.showIf, q.showIf)) changes.push(q.showIf ? { key: 'diff.rule', params: { code, question: q.showIf.question, answers: list(q.showIf.anyOf) } } : { key: 'diff.ruleRemoved', params: { code } });
  if (!sameText(was.help, q.help)) changes.push({ key: 'diff.help', params: { code } });
  return changes;
}

export function methodologyChanges(before: Methodology, after: Methodology): Message[] {
  const changes: Message[] = [];
  const pillarsBefore = new Map(before.pillars.map((p) => [p.code, p]));
  for (const p of after.pillars) {
    const was = pillarsBefore.get(p.code);
    if (!was) changes.push({ key: 'diff.pillarAdded', params: { code: p.code, name: p.name.vi } });
    else if (!sameText(was.name, p.name)) changes.push({ key: 'diff.pillarRenamed', params: { code: p.code, name: p.name.vi } });
  }
  for (const p of before.pillars) if (!after.pillars.some((x) => x.code === p.code)) changes.push({ key: 'diff.pillarRemoved', params: { code: p.code, name: p.name.vi } });
  const blocksBefore = new Map(before.blocks.map((b) => [b.code, b]));
  for (const block of after.blocks) {
    const was = blocksBefore.get(block.code);
    if (!was) {
      changes.push({ key: 'diff.blockAdded', params: { code: block.code, name: block.name.vi } });
      continue;
    }
    if (was.questionnaire !== block.questionnaire) changes.push({ key: 'diff.blockQuestionnaire', params: { block: block.name.vi, before: was.questionnaire, after: block.questionnaire } });
    for (const pillar of new Set([...Object.keys(was.weights), ...Object.keys(block.weights)])) {
      const [w0, w1] = [was.weights[pillar] ?? 0, block.weights[pillar] ?? 0];
      if (w0 !== w1) changes.push({ key: 'diff.weight', params: { block: block.name.vi, pillar, before: percent(w0), after: percent(w1) } });
    }
    if (!same(was.tiers, block.tiers)) changes.push({ key: 'diff.tiers', params: { block: block.name.vi } });
  }
  for (const block of before.blocks) if (!after.blocks.some((b) => b.code === block.code)) changes.push({ key: 'diff.blockRemoved', params: { code: block.code, name: block.name.vi } });
  const indicatorsBefore = new Map(before.indicators.map((i) => [i.code, i]));
  for (const indicator of after.indicators) {
    const was = indicatorsBefore.get(indicator.code);
    if (!was) changes.push({ key: 'diff.indicatorAdded', params: { code: indicator.code, question: indicator.question } });
    else changes.push(...indicatorChanges(was, indicator));
    const bounds = [before, after].map((m) => m.normalisation.fixedBounds?.[indicator.code]);
    if (was && !same(bounds[0], bounds[1])) changes.push({ key: 'diff.indicatorBounds', params: { code: indicator.code, before: bounds[0]?.join('–') ?? '—', after: bounds[1]?.join('–') ?? '—' } });
  }
  for (const i of before.indicators) if (!after.indicators.some((x) => x.code === i.code)) changes.push({ key: 'diff.indicatorRemoved', params: { code: i.code } });
  // Each setting by its name in words (a message key, translated where the change is shown), its value too where it is a word.
  const settings: [string, (m: Methodology) => unknown][] = [
    ['minAnswersPerUnit', (m) => m.minAnswersPerUnit],
    ['bounds', (m) => `designer.boundsRule.${m.normalisation.bounds}`],
    ['scale', (m) => m.normalisation.scale.join('–')],
    ['pillarMinIndicatorShare', (m) => m.pillarMinIndicatorShare],
    ['minStratumRespondents', (m) => m.minStratumRespondents],
    ['replicates', (m) => m.bootstrap.replicates],
    ['shareInterval', (m) => m.shareInterval ?? 'logit'],
  ];
  for (const [name, get] of settings) if (!same(get(before), get(after))) changes.push({ key: 'diff.setting', params: { name: `diff.settingName.${name}`, before: String(get(before) ?? '—'), after: String(get(after) ?? '—') } });
  return changes;
}

function indicatorChanges(was: Indicator, indicator: Indicator): Message[] {
  const code = indicator.code;
  const changes: Message[] = [];
  if (was.question !== indicator.question) changes.push({ key: 'diff.indicatorQuestion', params: { code, before: was.question, after: indicator.question } });
  if (was.pillar !== indicator.pillar) changes.push({ key: 'diff.indicatorPillar', params: { code, before: was.pillar, after: indicator.pillar } });
  if (was.measure !== indicator.measure || was.direction !== indicator.direction) changes.push({ key: 'diff.indicatorMeasure', params: { code } });
  if (!same([...(was.favourable ?? [])].sort(), [...(indicator.favourable ?? [])].sort())) changes.push({ key: 'diff.indicatorFavourable', params: { code, before: list(was.favourable ?? []), after: list(indicator.favourable ?? []) } });
  return changes;
}

const percent = (w: number) => `${Math.round(w * 1000) / 10}${PERCENT_SPACE}%`;

/** Last year's side of the comparison: its methodology and the questionnaire each question code was asked in. */
export interface MeasuredBy {
  methodology: Methodology;
  questionOf(indicator: Indicator): Question | undefined;
}

/**
 * Indicators of `now` that measure what they measured in `before`: same question wording and answers,
 * same measure, direction and favourable answers — or marked comparable by the designer with a reason.
 */
export function comparableIndicators(before: MeasuredBy, now: MeasuredBy): Set<string> {
  const comparable = new Set<string>();
  const old = new Map(before.methodology.indicators.map((i) => [i.code, i]));
  for (const indicator of now.methodology.indicators) {
    const was = old.get(indicator.code);
    if (!was) continue;
    if (indicator.comparable) {
      comparable.add(indicator.code);
      continue;
    }
    const [q0, q1] = [before.questionOf(was), now.questionOf(indicator)];
    const measuredAlike = !indicatorChanges(was, indicator).length && q0 && q1 && sameText(q0.text, q1.text) && q0.type === q1.type && same(q0.options, q1.options) && q0.min === q1.min && q0.max === q1.max;
    if (measuredAlike) comparable.add(indicator.code);
  }
  return comparable;
}

/** Per block of both years, the indicators not comparable with last year's (docs/designer.md §5); omitted when there are none. */
export function changedIndicatorsByBlock(catalog: Catalog, before: Methodology, now: Methodology): { changedIndicators?: Record<string, string[]> } {
  const changed: Record<string, string[]> = {};
  for (const block of now.blocks) {
    const then = before.blocks.find((b) => b.code === block.code);
    if (!then) continue;
    // The indicators that score this block, each with its question in the block's questionnaire of that year.
    const measured = (methodology: Methodology, scored: Block) => {
      const questions = questionsOf(blockQuestionnaire(catalog, methodology.version, scored.code));
      return { methodology: { ...methodology, indicators: methodology.indicators.filter((i) => scored.weights[i.pillar]) }, questionOf: (i: { question: string }) => questions.find((q) => q.code === i.question) };
    };
    const a = measured(before, then);
    const b = measured(now, block);
    const comparable = comparableIndicators(a, b);
    const codes = new Set([...a.methodology.indicators, ...b.methodology.indicators].map((i) => i.code));
    const notComparable = [...codes].filter((c) => !comparable.has(c)).sort();
    if (notComparable.length) changed[block.code] = notComparable;
  }
  return Object.keys(changed).length ? { changedIndicators: changed } : {};
}
