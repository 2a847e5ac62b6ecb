import { translate } from '../../server/i18n/index.js';
import { loadCatalog, questionsOf, type Methodology, type Questionnaire } from '../../server/questionnaires/index.js';
import { changedIndicatorsByBlock, comparableIndicators, methodologyChanges, questionnaireChanges } from '../../server/questionnaires/diff.js';
import { questionFromForm, questionProblems, weightsFromForm } from '../../server/design/forms.js';
import { catalogOf, checkSurveyDocuments } from '../../server/questionnaires/index.js';

const catalog = loadCatalog();
const words = (changes: { key: Parameters<typeof translate>[1]; params?: Record<string, string | number> }[]) => changes.map((c) => translate('en', c.key, c.params));

describe('what changed between two versions, in words', () => {
  test('2026.1 → 2026.2: the blocks of the two-tier local government; 2026.2 → 2026.3: fixed bounds', () => {
    expect(words(methodologyChanges(catalog.methodologies.get('2026.1')!, catalog.methodologies.get('2026.2')!))).toEqual([
      'Block provincial added: Sở, ban, ngành tỉnh',
      'Block central added: Cơ quan Trung ương đóng trên địa bàn tỉnh',
      'Block commune added: UBND xã, phường',
      'Block department removed: Sở, ban, ngành',
      'Block district removed: UBND huyện, thị xã, thành phố',
    ]);
    const fixed = words(methodologyChanges(catalog.methodologies.get('2026.2')!, catalog.methodologies.get('2026.3')!));
    expect(fixed).toContain('Setting normalisation bounds: this year’s values (not recommended) → fixed per indicator');
    expect(fixed).toContain('Indicator I-B1: normalisation bounds — → 0–60');
    expect(fixed).toHaveLength(1 + catalog.methodologies.get('2026.3')!.indicators.length);
  });

  test('the same documents with their keys in another order (as the database returns them) have no changes, and stay comparable', () => {
    const reorder = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(reorder) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reorder(v)])) : value;
    const m = catalog.methodologies.get('2026.3')!;
    const q = catalog.questionnaires.get('department-2026.1')!;
    expect(methodologyChanges(m, reorder(m) as Methodology)).toEqual([]);
    expect(questionnaireChanges(q, reorder(q) as Questionnaire)).toEqual([]);
    const measured = (methodology: Methodology, questionnaire: Questionnaire) => ({ methodology, questionOf: (i: { question: string }) => questionsOf(questionnaire).find((x) => x.code === i.question) });
    const all = comparableIndicators(measured(m, q), measured(m, q));
    expect(comparableIndicators(measured(m, q), measured(reorder(m) as Methodology, reorder(q) as Questionnaire))).toEqual(all);
  });

  test('a question reworded, one added with a rule, an option relabelled, a weight moved', () => {
    const before = catalog.questionnaires.get('department-2026.1')!;
    const after: Questionnaire = structuredClone(before);
    const [a1, a2] = after.sections[1]!.questions;
    a1!.text.vi = 'Thủ tục được công khai đầy đủ, dễ tìm và dễ hiểu.';
    after.sections[1]!.questions.push({ code: 'A9', type: 'yesno', text: { vi: 'Câu mới', en: 'New' }, required: true, dontKnow: false, showIf: { question: a2!.code, anyOf: ['4', '5'] } });
    const single = questionsOf(after).find((q) => q.type === 'single')!;
    single.options![0]!.label.vi = 'Nhãn mới';
    expect(words(questionnaireChanges(before, after))).toEqual([
      `Question ${single.code}: options ${single.options![0]!.code} relabelled`,
      `Question ${a1!.code} reworded: “${questionsOf(before).find((q) => q.code === a1!.code)!.text.vi}” → “Thủ tục được công khai đầy đủ, dễ tìm và dễ hiểu.”`,
      'Question A9 added: “Câu mới”',
    ]);
    const m = catalog.methodologies.get('2026.1')!;
    const moved: Methodology = structuredClone(m);
    moved.blocks[0]!.weights.P1 = 0.2;
    moved.blocks[0]!.weights.P4 = 0.05;
    expect(words(methodologyChanges(m, moved))).toEqual(['Block Sở, ban, ngành: weight of P1 15\u00a0% → 20\u00a0%', 'Block Sở, ban, ngành: weight of P4 10\u00a0% → 5\u00a0%']);
  });

  test('an indicator whose question was reworded or whose favourable answers changed is not comparable, unless marked with a reason', () => {
    const m = catalog.methodologies.get('2026.1')!;
    const q = catalog.questionnaires.get('department-2026.1')!;
    const measured = (methodology: Methodology, questionnaire: Questionnaire) => ({ methodology, questionOf: (i: { question: string }) => questionsOf(questionnaire).find((x) => x.code === i.question) });
    const reworded = structuredClone(q);
    const first = m.indicators[0]!;
    questionsOf(reworded).find((x) => x.code === first.question)!.text.vi = 'Một câu hỏi khác';
    const refavoured = structuredClone(m);
    refavoured.indicators[1]!.favourable = ['5'];
    const same = comparableIndicators(measured(m, q), measured(m, q));
    expect(same.size).toBe(m.indicators.filter((i) => questionsOf(q).some((x) => x.code === i.question)).length);
    const changed = comparableIndicators(measured(m, q), measured(refavoured, reworded));
    expect(changed.has(first.code)).toBe(false);
    expect(changed.has(m.indicators[1]!.code)).toBe(false);
    expect(changed.has(m.indicators[2]!.code)).toBe(true);
    const marked = structuredClone(refavoured);
    marked.indicators[0]!.comparable = { reason: { vi: 'Chỉ sửa chính tả', en: 'Spelling only' } };
    expect(comparableIndicators(measured(m, q), measured(marked, reworded)).has(first.code)).toBe(true);
  });
});

test('next year’s blocks leave out of the change the indicators that changed and were not marked comparable', () => {
  const before = catalog.methodologies.get('2026.3')!;
  const now: Methodology = { ...structuredClone(before), version: '2027.1' };
  const forms = new Map(catalog.questionnaires);
  for (const block of now.blocks) {
    const copy = { ...structuredClone(catalog.questionnaires.get(block.questionnaire)!), version: '2027.1' };
    forms.set(`${copy.id}-2027.1`, copy);
    block.questionnaire = `${copy.id}-2027.1`;
  }
  const department = forms.get('department-2027.1')!;
  questionsOf(department).find((q) => q.code === 'A1')!.text.vi = 'Câu hỏi đã đổi';
  questionsOf(department).find((q) => q.code === 'C1')!.text.vi = 'Câu hỏi đã đổi chính tả';
  now.indicators.find((i) => i.code === 'I-C1')!.comparable = { reason: { vi: 'Chỉ sửa chính tả', en: 'Spelling only' } };
  now.indicators.find((i) => i.code === 'I-B2')!.favourable = ['no'];
  const both = catalogOf({ questionnaires: forms, methodologies: new Map([...catalog.methodologies, ['2027.1', now]]) });
  expect(changedIndicatorsByBlock(both, before, now)).toEqual({ changedIndicators: { provincial: ['I-A1', 'I-B2'], central: ['I-B2'], commune: ['I-B2'] } });
  expect(changedIndicatorsByBlock(both, before, before)).toEqual({});
});

describe('the designer’s forms', () => {
  test('a question from the form; what cannot be read is a field error, what the checks refuse lands beside its field', () => {
    const { question, errors } = questionFromForm({ code: 'B9', type: 'number', textVi: 'Bao nhiêu ngày?', textEn: 'How many days?', min: '0', max: 'sáu mươi', required: 'on', showIfQuestion: 'B2', showIfAnswers: 'yes no' });
    expect(errors).toEqual({ max: { key: 'designer.field.number' } });
    expect(question).toMatchObject({ code: 'B9', type: 'number', required: true, dontKnow: false, min: 0, showIf: { question: 'B2', anyOf: ['yes', 'no'] } });
    const copy = structuredClone(catalog.questionnaires.get('department-2026.1')!);
    copy.sections[1]!.questions[0]!.showIf = { question: 'Z9', anyOf: ['1'] };
    copy.sections[1]!.questions[1]!.code = copy.sections[1]!.questions[2]!.code;
    const problems = checkSurveyDocuments({ questionnaires: [{ source: 'd', data: copy }], methodologies: [] }).problems;
    const split = questionProblems(problems, '/sections/1/questions/0');
    expect(split.errors).toEqual({ showIfQuestion: { key: 'design.ruleNoQuestion', params: { code: 'Z9' } } });
    expect(split.others.map((p) => p.path)).toEqual(['/sections/1/questions/2/code']);
  });

  test('weights come as percentages; blank leaves a pillar out; 0–100 only', () => {
    const m = catalog.methodologies.get('2026.1')!;
    const body: Record<string, string> = {};
    for (const b of m.blocks) for (const p of m.pillars) body[`weight.${b.code}.${p.code}`] = b.weights[p.code] === undefined ? '' : String(b.weights[p.code]! * 100);
    body['weight.department.P1'] = '20';
    body['weight.department.P2'] = '10,5';
    body['weight.district.P1'] = '120';
    const { methodology, errors } = weightsFromForm(m, body);
    expect(errors).toEqual({ 'weight.district.P1': { key: 'designer.field.percent' } });
    expect(methodology.blocks[0]!.weights).toMatchObject({ P1: 0.2, P2: 0.105 });
    expect(Object.keys(methodology.blocks[0]!.weights)).toEqual(Object.keys(m.blocks[0]!.weights));
  });
});
