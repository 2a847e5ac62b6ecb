import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { answerSchema, CatalogError, checkSurveyDocuments, isAsked, loadCatalog, questionsOf, type Questionnaire } from '../../server/questionnaires/index.js';
import { answersFromForm } from '../../server/responses/index.js';
import { fromRoot } from '../../server/paths.js';

const catalog = loadCatalog();
const department = catalog.questionnaires.get('department-2026.1')!;
const district = catalog.questionnaires.get('district-2026.1')!;

/** A copy of survey-schemas/ to break one file at a time. */
function brokenCopy(file: string, edit: (json: Record<string, any>) => void): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ddci-schemas-'));
  cpSync(fromRoot('survey-schemas'), dir, { recursive: true });
  const target = path.join(dir, file);
  const json = JSON.parse(readFileSync(target, 'utf8'));
  edit(json);
  writeFileSync(target, JSON.stringify(json));
  return dir;
}

function problemsOf(dir: string) {
  try {
    loadCatalog(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogError);
    return (error as CatalogError).problems;
  }
  throw new Error('the catalog loaded');
}

describe('the shipped questionnaires and methodology', () => {
  test('30–45 coded questions each, covering every pillar of docs/design.md §4', () => {
    expect(questionsOf(department).length).toBeGreaterThanOrEqual(30);
    expect(questionsOf(department).length).toBeLessThanOrEqual(45);
    expect(questionsOf(district).length).toBeGreaterThanOrEqual(30);
    expect(questionsOf(district).length).toBeLessThanOrEqual(45);
    const pillarsFor = (block: string) => {
      const weights = catalog.methodology.blocks.find((b) => b.code === block)!.weights;
      return catalog.methodology.pillars.filter((p) => weights[p.code]).map((p) => p.name.en);
    };
    const departments = [
      'Transparency and access to information', 'Time costs', 'Informal costs', 'Fair competition',
      'Dynamism of leadership', 'Business support', 'Legal institutions', 'Role of the head of unit',
    ];
    // 2026: provincial departments and agencies; central agencies in the province; communes and wards.
    expect(catalog.methodology.blocks.map((b) => b.code)).toEqual(['provincial', 'central', 'commune']);
    expect(pillarsFor('provincial')).toEqual(departments);
    expect(pillarsFor('central')).toEqual(departments);
    expect(pillarsFor('commune')).toEqual([...departments, 'Land access and security of tenure', 'Security and order']);
    // The 2026.1 methodology stays installed for the campaigns that pinned it, with its two blocks.
    expect(catalog.methodologies.get('2026.1')!.blocks.map((b) => [b.code, b.questionnaire])).toEqual([['department', 'department-2026.1'], ['district', 'district-2026.1']]);
    for (const q of [...questionsOf(department), ...questionsOf(district)]) expect(q.text.vi && q.text.en).toBeTruthy();
  });
});

describe('answer schemas derived from a questionnaire', () => {
  const validate = new Ajv({ allErrors: true, coerceTypes: true }).compile(answerSchema(department));
  const complete = Object.fromEntries(
    questionsOf(department)
      .filter((q) => q.required)
      .map((q) => [q.code, q.type === 'likert5' ? '4' : q.type === 'yesno' ? 'no' : q.options![0]!.code]),
  );

  test('complete answers pass; “don’t know” is an answer; numbers are coerced from forms', () => {
    expect(validate({ ...complete })).toBe(true);
    expect(validate({ ...complete, A1: 'DK', B1: '12', S2: ['1', '3'], Z1: 'Cần rút ngắn thời gian.' })).toBe(true);
    expect(validate({ ...complete, B1: 'DK' })).toBe(true);
  });

  test('every kind of wrong answer is refused, naming its field', () => {
    const fields = (answers: Record<string, unknown>) => {
      validate(answers);
      return (validate.errors ?? []).map((e) => e.instancePath || (e.params as { missingProperty?: string }).missingProperty);
    };
    expect(fields({ ...complete, A1: '6' })).toContain('/A1');
    expect(fields({ ...complete, B1: '400' })).toContain('/B1');
    expect(fields({ ...complete, S1: 'DK' })).toContain('/S1'); // S1 offers no “don't know”
    expect(fields({ ...complete, S2: ['1', '1'] })).toContain('/S2');
    expect(fields({ ...complete, Z1: 'x'.repeat(2001) })).toContain('/Z1');
    const { A2: _dropped, ...missing } = complete;
    expect(fields(missing)).toContain('A2');
    expect(validate({ ...complete, X9: 'injected' })).toBe(false);
  });
});

describe('bad schema files', () => {
  test('a questionnaire breaking its meta-schema is named with its path and problem', () => {
    const dir = brokenCopy('questionnaires/department-2026.1.json', (q) => {
      q.sections[1].questions[0].type = 'slider';
    });
    expect(problemsOf(dir)).toContainEqual(expect.objectContaining({ file: 'questionnaires/department-2026.1.json', path: '/sections/1/questions/0/type' }));
  });

  test('a repeated question code and invalid JSON are named', () => {
    const repeated = brokenCopy('questionnaires/district-2026.1.json', (json) => {
      (json as Questionnaire).sections[2]!.questions[1]!.code = 'B1';
    });
    expect(problemsOf(repeated)).toContainEqual(expect.objectContaining({ file: 'questionnaires/district-2026.1.json', path: '/sections/2/questions/1/code', problem: 'question code B1 is used twice' }));
    const dir = mkdtempSync(path.join(tmpdir(), 'ddci-schemas-'));
    cpSync(fromRoot('survey-schemas'), dir, { recursive: true });
    writeFileSync(path.join(dir, 'methodology-2026.1.json'), '{ "version": ');
    expect(problemsOf(dir)[0]).toMatchObject({ file: 'methodology-2026.1.json', problem: expect.stringMatching(/^not valid JSON/) });
  });

  test('methodology problems between files: unknown question, weights not summing to 1, bad favourable answer, unknown questionnaire, tiers out of order', () => {
    const dir = brokenCopy('methodology-2026.1.json', (m) => {
      m.indicators[0].question = 'A9';
      m.indicators[4].favourable = ['7'];
      m.blocks[0].weights.P1 = 0.5;
      m.blocks[1].questionnaire = 'district-2031.1';
      m.blocks[0].tiers.bands[1].min = 95;
    });
    const problems = problemsOf(dir);
    expect(problems).toContainEqual(expect.objectContaining({ file: 'methodology-2026.1.json', path: '/indicators/0/question', problem: 'A9 is not a question of department-2026.1 (block department)' }));
    expect(problems).toContainEqual(expect.objectContaining({ path: '/blocks/0/weights', problem: expect.stringMatching(/^weights sum to 1\.35/) }));
    expect(problems).toContainEqual(expect.objectContaining({ path: '/indicators/4/favourable', problem: '7 is not an answer of B1' }));
    expect(problems).toContainEqual(expect.objectContaining({ file: 'methodology-2026.1.json', path: '/blocks/1/questionnaire', problem: 'no questionnaire district-2031.1' }));
    expect(problems).toContainEqual(expect.objectContaining({ path: '/blocks/0/tiers/bands/1/min' }));
  });

  test('a block with relative tiers must list its shares upwards to 1', () => {
    const dir = brokenCopy('methodology-2026.2.json', (m) => {
      m.blocks[2].tiers = { scheme: 'relative', bands: [{ upTo: 0.3, label: { vi: 'A', en: 'A' } }, { upTo: 0.2, label: { vi: 'B', en: 'B' } }] };
    });
    expect(problemsOf(dir).map((p) => p.path)).toEqual(['/blocks/2/tiers/bands/1/upTo', '/blocks/2/tiers/bands/1/upTo']);
  });
});

describe('display rules (a question asked only after some answers)', () => {
  const ruled: Questionnaire = structuredClone(department);
  const [first, second] = ruled.sections[1]!.questions as [Questionnaire['sections'][0]['questions'][0], Questionnaire['sections'][0]['questions'][0]];
  second.showIf = { question: first.code, anyOf: ['4', '5'] };
  second.required = true;
  const validate = new Ajv({ allErrors: true, coerceTypes: true }).compile(answerSchema(ruled));
  const complete = Object.fromEntries(questionsOf(ruled).map((q) => [q.code, q.type === 'number' ? 1 : q.type === 'multiple' ? [q.options![0]!.code] : q.type === 'text' ? 'x' : q.type === 'yesno' ? 'yes' : q.options ? q.options[0]!.code : '3']));

  test('the ruled question is required only when its rule holds, and refused when it does not', () => {
    const { [second.code]: _, ...withoutSecond } = complete;
    expect(validate({ ...withoutSecond, [first.code]: '2' })).toBe(true);
    expect(validate({ ...withoutSecond, [first.code]: '5' })).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ keyword: 'required', params: { missingProperty: second.code } }));
    expect(validate({ ...complete, [first.code]: '5' })).toBe(true);
    expect(validate({ ...complete, [first.code]: '2' })).toBe(false);
  });

  test('the form drops what a hidden question still holds, keeps it when asked', () => {
    const body = { [first.code]: '2', [second.code]: '4' };
    expect(answersFromForm(ruled, body)).toEqual({ [first.code]: '2' });
    expect(answersFromForm(ruled, { ...body, [first.code]: '4' })).toEqual({ [first.code]: '4', [second.code]: '4' });
    expect(isAsked(second, {})).toBe(false);
  });

  test('a rule must name an earlier choice question and its answers', () => {
    const check = (edit: (q: Questionnaire) => void) => {
      const copy = structuredClone(department);
      edit(copy);
      return checkSurveyDocuments({ questionnaires: [{ source: 'designer', data: copy }], methodologies: [] }).problems.map((p) => [p.path, p.problem]);
    };
    const later = questionsOf(department).at(-1)!.code;
    expect(check((q) => (q.sections[1]!.questions[0]!.showIf = { question: later, anyOf: ['yes'] }))).toEqual([['/sections/1/questions/0/showIf/question', `no question ${later} before this one`]]);
    expect(check((q) => (q.sections[1]!.questions[1]!.showIf = { question: first.code, anyOf: ['7'] }))).toEqual([['/sections/1/questions/1/showIf/anyOf', `7 is not an answer of ${first.code}`]]);
    const number = questionsOf(department).find((q) => q.type === 'number')!;
    const after = questionsOf(department)[questionsOf(department).indexOf(number) + 1]!;
    expect(check((q) => (questionsOf(q).find((x) => x.code === after.code)!.showIf = { question: number.code, anyOf: ['1'] }))[0]![1]).toBe(`a display rule needs a choice question, ${number.code} is number`);
  });
});
