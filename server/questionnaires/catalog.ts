import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { fromRoot } from '../paths.js';
import { answerSchema, questionsOf } from './answer-schema.js';
import type { Methodology, Questionnaire } from './types.js';

/**
 * Loads every questionnaire and the methodology under survey-schemas/, validates each file against its
 * meta-schema and against the others (codes unique, indicators pointing at real questions and pillars,
 * weights summing to 1), and compiles each questionnaire's answer schema once.
 */

export interface CatalogProblem {
  file: string;
  path: string;
  problem: string;
}

export class CatalogError extends Error {
  constructor(readonly problems: CatalogProblem[]) {
    super('Invalid survey schemas:\n' + problems.map((p) => `  - ${p.file} ${p.path || '/'}: ${p.problem}`).join('\n'));
    this.name = 'CatalogError';
  }
}

export interface Catalog {
  questionnaires: Map<string, Questionnaire>;
  methodology: Methodology;
  /** Validates answers to a questionnaire (key `id-version`). */
  answerValidator(questionnaireKey: string): ValidateFunction;
}

export const questionnaireKey = (q: Pick<Questionnaire, 'id' | 'version'>) => `${q.id}-${q.version}`;

function readJson(file: string, problems: CatalogProblem[], root: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push({ file: path.relative(root, file), path: '', problem: `not valid JSON: ${(error as Error).message}` });
    return undefined;
  }
}

const describe = (file: string, errors: ErrorObject[] | null | undefined): CatalogProblem[] =>
  (errors ?? []).map((e) => ({ file, path: e.instancePath, problem: `${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}` }));

export function loadCatalog(root = fromRoot('survey-schemas')): Catalog {
  const problems: CatalogProblem[] = [];
  const ajv = new Ajv({ allErrors: true, strict: false }); // files are checked as written: no coercion
  const checkQuestionnaire = ajv.compile(JSON.parse(readFileSync(path.join(root, 'meta', 'questionnaire.schema.json'), 'utf8')));
  const checkMethodology = ajv.compile(JSON.parse(readFileSync(path.join(root, 'meta', 'methodology.schema.json'), 'utf8')));

  const questionnaires = new Map<string, Questionnaire>();
  const files = new Map<string, string>();
  const dir = path.join(root, 'questionnaires');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const file = `questionnaires/${name}`;
    const data = readJson(path.join(dir, name), problems, root);
    if (data === undefined) continue;
    if (!checkQuestionnaire(data)) {
      problems.push(...describe(file, checkQuestionnaire.errors));
      continue;
    }
    const questionnaire = data as Questionnaire;
    const seen = new Set<string>();
    questionnaire.sections.forEach((section, s) =>
      section.questions.forEach((question, q) => {
        const at = `/sections/${s}/questions/${q}`;
        if (seen.has(question.code)) problems.push({ file, path: `${at}/code`, problem: `question code ${question.code} is used twice` });
        seen.add(question.code);
        const optionCodes = (question.options ?? []).map((o) => o.code);
        if (new Set(optionCodes).size !== optionCodes.length) problems.push({ file, path: `${at}/options`, problem: 'option codes repeat' });
        if (question.type === 'number' && question.min! > question.max!) problems.push({ file, path: `${at}/min`, problem: 'min is above max' });
      }),
    );
    if (`${questionnaire.id}-${questionnaire.version}.json` !== name) {
      problems.push({ file, path: '/version', problem: `file name must be ${questionnaire.id}-${questionnaire.version}.json` });
    }
    questionnaires.set(questionnaireKey(questionnaire), questionnaire);
    files.set(questionnaireKey(questionnaire), file);
  }

  const methodologyFiles = readdirSync(root).filter((n) => /^methodology-.*\.json$/.test(n)).sort();
  const methodologyFile = methodologyFiles.at(-1);
  let methodology: Methodology | undefined;
  if (!methodologyFile) problems.push({ file: 'methodology-*.json', path: '', problem: 'no methodology file' });
  else {
    const data = readJson(path.join(root, methodologyFile), problems, root);
    if (data !== undefined && !checkMethodology(data)) problems.push(...describe(methodologyFile, checkMethodology.errors));
    else if (data !== undefined) {
      methodology = data as Methodology;
      problems.push(...crossCheck(methodologyFile, methodology, questionnaires));
    }
  }
  if (problems.length || !methodology) throw new CatalogError(problems);

  const validators = new Map<string, ValidateFunction>();
  const answers = new Ajv({ allErrors: true, coerceTypes: true, strict: true });
  for (const [key, questionnaire] of questionnaires) validators.set(key, answers.compile(answerSchema(questionnaire)));
  return {
    questionnaires,
    methodology,
    answerValidator: (key) => {
      const validate = validators.get(key);
      if (!validate) throw new Error(`no questionnaire ${key}`);
      return validate;
    },
  };
}

/** A methodology file on its own (for `ddci score`), checked against its meta-schema. */
export function loadMethodology(file: string, root = fromRoot('survey-schemas')): Methodology {
  const problems: CatalogProblem[] = [];
  const data = readJson(file, problems, path.dirname(file));
  const check = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(path.join(root, 'meta', 'methodology.schema.json'), 'utf8')));
  if (data !== undefined && !check(data)) problems.push(...describe(path.basename(file), check.errors));
  if (problems.length) throw new CatalogError(problems);
  return data as Methodology;
}

let installed: Catalog | undefined;

/** The catalogue shipped in survey-schemas/, loaded and checked once per process. */
export function shippedCatalog(): Catalog {
  installed ??= loadCatalog();
  return installed;
}

/** The versions a new campaign pins: the current methodology and the questionnaires it names. */
export function currentPins(catalog: Catalog = shippedCatalog()) {
  const { version, questionnaires } = catalog.methodology;
  return { methodologyVersion: version, departmentQuestionnaire: questionnaires.department, districtQuestionnaire: questionnaires.district };
}

/** Rules between files that no single meta-schema can state. */
function crossCheck(file: string, m: Methodology, questionnaires: Map<string, Questionnaire>): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const pillarCodes = new Set(m.pillars.map((p) => p.code));
  for (const kind of ['department', 'district'] as const) {
    const questionnaire = questionnaires.get(m.questionnaires[kind]);
    if (!questionnaire) {
      problems.push({ file, path: `/questionnaires/${kind}`, problem: `no questionnaire ${m.questionnaires[kind]}` });
      continue;
    }
    if (questionnaire.unitKind !== kind) problems.push({ file, path: `/questionnaires/${kind}`, problem: `${m.questionnaires[kind]} is a ${questionnaire.unitKind} questionnaire` });
    const total = m.pillars.reduce((a, p) => a + (p.weights[kind] ?? 0), 0);
    if (Math.abs(total - 1) > 1e-9) problems.push({ file, path: '/pillars', problem: `${kind} weights sum to ${total}, not 1` });
    const questions = new Map(questionsOf(questionnaire).map((q) => [q.code, q]));
    m.indicators.forEach((indicator, i) => {
      const pillar = m.pillars.find((p) => p.code === indicator.pillar);
      if (!pillar?.weights[kind]) return; // this pillar does not score this unit type
      const question = questions.get(indicator.question);
      if (!question) {
        problems.push({ file, path: `/indicators/${i}/question`, problem: `${indicator.question} is not a question of ${m.questionnaires[kind]}` });
        return;
      }
      if (indicator.measure === 'mean' && question.type !== 'number') problems.push({ file, path: `/indicators/${i}/measure`, problem: `a mean needs a number question, ${question.code} is ${question.type}` });
      const allowed = question.type === 'likert5' ? ['1', '2', '3', '4', '5'] : question.type === 'yesno' ? ['yes', 'no'] : (question.options ?? []).map((o) => o.code);
      for (const value of indicator.favourable ?? []) {
        if (!allowed.includes(value)) problems.push({ file, path: `/indicators/${i}/favourable`, problem: `${value} is not an answer of ${question.code}` });
      }
    });
  }
  m.indicators.forEach((indicator, i) => {
    if (!pillarCodes.has(indicator.pillar)) problems.push({ file, path: `/indicators/${i}/pillar`, problem: `no pillar ${indicator.pillar}` });
  });
  for (let i = 1; i < m.tiers.length; i++) {
    if (m.tiers[i]!.min >= m.tiers[i - 1]!.min) problems.push({ file, path: `/tiers/${i}/min`, problem: 'tiers must be listed from the highest band down' });
  }
  return problems;
}
