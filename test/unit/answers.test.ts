import { answersFromForm, checkAnswers } from '../../server/responses/answers.js';
import { formView } from '../../server/responses/form-view.js';
import { loadCatalog } from '../../server/questionnaires/index.js';

const catalog = loadCatalog();
const district = catalog.questionnaires.get('district-2026.1')!;
const validate = catalog.answerValidator('district-2026.1');

describe('answers from a form', () => {
  test('empty fields are no answer; a decimal comma is a number; "don’t know" beside a number or alone among choices is DK', () => {
    const answers = answersFromForm(district, { A1: '4', A2: '  ', B1: '2,5', G2: ['', 'DK'], S2: ['DK'], S1: '2', Z1: ' góp ý ', unknown: 'x' });
    expect(answers).toEqual({ A1: '4', B1: 2.5, G2: 'DK', S2: 'DK', S1: '2', Z1: 'góp ý' });
  });

  test('contradictions are kept as sent, for the schema to refuse: a number and DK, two radio values, DK among choices', () => {
    const answers = answersFromForm(district, { B1: ['12', 'DK'], A1: ['4', '5'], S2: ['1', 'DK'], I4: '12 ngày' });
    expect(answers).toEqual({ B1: ['12', 'DK'], A1: ['4', '5'], S2: ['1', 'DK'], I4: '12 ngày' });
    const checked = checkAnswers(district, validate, answers);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors.B1).toEqual({ key: 'survey.field.numberAndDontKnow' }); // says which two to choose between
    expect(checked.errors.I4).toEqual({ key: 'survey.field.number', params: { min: 0, max: 730 } });
    expect(checked.errors.A1).toEqual({ key: 'survey.field.choose' });
    expect(checked.errors.S2).toEqual({ key: 'survey.field.choices' });
    expect(checked.errors.K1).toEqual({ key: 'survey.field.required' });
  });
});

describe('the form view', () => {
  test('keeps what was sent and puts each message beside its question, in the respondent’s language', () => {
    const sections = formView(district, 'en', { A1: '5', B1: ['7', 'DK'], S2: ['1', '3'] }, { A2: { key: 'survey.field.required' } });
    const questions = new Map(sections.flatMap((s) => s.questions).map((q) => [q.code, q]));
    expect(questions.get('A1')!.choices.filter((c) => c.checked).map((c) => c.value)).toEqual(['5']);
    expect(questions.get('A1')!.choices.at(-1)).toEqual({ value: 'DK', label: 'Don’t know / Not applicable', checked: false });
    expect(questions.get('B1')).toMatchObject({ value: '7', dontKnow: { checked: true } });
    expect(questions.get('S2')!.choices.filter((c) => c.checked).map((c) => c.value)).toEqual(['1', '3']);
    expect(questions.get('A2')!.error).toEqual({ key: 'survey.field.required' });
    expect(sections[0]!.title).toBe(district.sections[0]!.title.en);
  });
});
