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
  /** Every installed methodology by version: a campaign is scored with the one it pinned. */
  methodologies: Map<string, Methodology>;
  /** The newest methodology: the one new campaigns pin. */
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

  const methodologies = new Map<string, Methodology>();
  const methodologyFiles = readdirSync(root).filter((n) => /^methodology-.*\.json$/.test(n)).sort();
  if (!methodologyFiles.length) problems.push({ file: 'methodology-*.json', path: '', problem: 'no methodology file' });
  for (const methodologyFile of methodologyFiles) {
    const data = readJson(path.join(root, methodologyFile), problems, root);
    if (data !== undefined && !checkMethodology(data)) problems.push(...describe(methodologyFile, checkMethodology.errors));
    else if (data !== undefined) {
      const methodology = data as Methodology;
      if (methodologyFile !== `methodology-${methodology.version}.json`) problems.push({ file: methodologyFile, path: '/version', problem: `file name must be methodology-${methodology.version}.json` });
      problems.push(...crossCheck(methodologyFile, methodology, questionnaires));
      methodologies.set(methodology.version, methodology);
    }
  }
  const methodology = [...methodologies.values()].sort((a, b) => compareVersions(a.version, b.version)).at(-1);
  if (problems.length || !methodology) throw new CatalogError(problems);

  const validators = new Map<string, ValidateFunction>();
  const answers = new Ajv({ allErrors: true, coerceTypes: true, strict: true });
  for (const [key, questionnaire] of questionnaires) validators.set(key, answers.compile(answerSchema(questionnaire)));
  return {
    questionnaires,
    methodologies,
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

let installedRoot = fromRoot('survey-schemas');
let installed: Catalog | undefined;

/** Uses another folder of questionnaires and methodologies (SURVEY_SCHEMAS_DIR) from now on. */
export function installSurveySchemas(root: string): void {
  installedRoot = root;
  installed = undefined;
}

/** The catalogue in use (survey-schemas/, or the folder installed), loaded and checked once per process. */
export function shippedCatalog(): Catalog {
  installed ??= loadCatalog(installedRoot);
  return installed;
}

/** The methodology version a new campaign pins (its blocks name their questionnaires). */
export function currentPins(catalog: Catalog = shippedCatalog()) {
  return { methodologyVersion: catalog.methodology.version };
}

/** 2026.10 comes after 2026.9. */
function compareVersions(a: string, b: string): number {
  const [ay, an] = a.split('.').map(Number) as [number, number];
  const [by, bn] = b.split('.').map(Number) as [number, number];
  return ay - by || an - bn;
}

/** The questionnaire of a block of a pinned methodology; throws if either is not installed. */
export function blockQuestionnaire(catalog: Catalog, methodologyVersion: string, block: string): Questionnaire {
  const methodology = catalog.methodologies.get(methodologyVersion);
  const key = methodology?.blocks.find((b) => b.code === block)?.questionnaire;
  const questionnaire = key ? catalog.questionnaires.get(key) : undefined;
  if (!questionnaire) throw new Error(`methodology ${methodologyVersion} has no installed questionnaire for block ${block}`);
  return questionnaire;
}

/** Rules between files that no single meta-schema can state. */
function crossCheck(file: string, m: Methodology, questionnaires: Map<string, Questionnaire>): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const pillarCodes = new Set(m.pillars.map((p) => p.code));
  const blockCodes = new Set<string>();
  m.blocks.forEach((block, b) => {
    const at = `/blocks/${b}`;
    if (blockCodes.has(block.code)) problems.push({ file, path: `${at}/code`, problem: `block code ${block.code} is used twice` });
    blockCodes.add(block.code);
    for (const code of Object.keys(block.weights)) if (!pillarCodes.has(code)) problems.push({ file, path: `${at}/weights/${code}`, problem: `no pillar ${code}` });
    const total = Object.values(block.weights).reduce((a, w) => a + w, 0);
    if (Math.abs(total - 1) > 1e-9) problems.push({ file, path: `${at}/weights`, problem: `weights sum to ${total}, not 1` });
    problems.push(...tierProblems(file, `${at}/tiers`, block.tiers));
    const questionnaire = questionnaires.get(block.questionnaire);
    if (!questionnaire) {
      problems.push({ file, path: `${at}/questionnaire`, problem: `no questionnaire ${block.questionnaire}` });
      return;
    }
    const questions = new Map(questionsOf(questionnaire).map((q) => [q.code, q]));
    m.indicators.forEach((indicator, i) => {
      if (!block.weights[indicator.pillar]) return; // this pillar does not score this block
      const question = questions.get(indicator.question);
      if (!question) {
        problems.push({ file, path: `/indicators/${i}/question`, problem: `${indicator.question} is not a question of ${block.questionnaire} (block ${block.code})` });
        return;
      }
      if (indicator.measure === 'mean' && question.type !== 'number') problems.push({ file, path: `/indicators/${i}/measure`, problem: `a mean needs a number question, ${question.code} is ${question.type}` });
      const allowed = question.type === 'likert5' ? ['1', '2', '3', '4', '5'] : question.type === 'yesno' ? ['yes', 'no'] : (question.options ?? []).map((o) => o.code);
      for (const value of indicator.favourable ?? []) {
        if (!allowed.includes(value)) problems.push({ file, path: `/indicators/${i}/favourable`, problem: `${value} is not an answer of ${question.code}` });
      }
    });
  });
  m.indicators.forEach((indicator, i) => {
    if (!pillarCodes.has(indicator.pillar)) problems.push({ file, path: `/indicators/${i}/pillar`, problem: `no pillar ${indicator.pillar}` });
  });
  if (m.normalisation.bounds === 'pooled' && !m.normalisation.pooledYears) problems.push({ file, path: '/normalisation/pooledYears', problem: 'pooled bounds need pooledYears' });
  if (m.normalisation.bounds === 'fixed') {
    m.indicators.forEach((indicator, i) => {
      const bounds = m.normalisation.fixedBounds?.[indicator.code];
      if (!bounds) problems.push({ file, path: `/normalisation/fixedBounds/${indicator.code}`, problem: `fixed bounds need bounds for indicator ${indicator.code} (/indicators/${i})` });
      else if (!(bounds[0] < bounds[1])) problems.push({ file, path: `/normalisation/fixedBounds/${indicator.code}`, problem: `the lower bound must be under the upper one` });
      else if (indicator.measure === 'share' && (bounds[0] < 0 || bounds[1] > 1)) problems.push({ file, path: `/normalisation/fixedBounds/${indicator.code}`, problem: 'a share’s bounds lie within 0–1' });
    });
  }
  return problems;
}

/**
 * What a methodology may use but should not: bounds rules whose intervals do not cover what they claim.
 * In the simulation of docs/estimation.md §5 (where the truth is known), `observed` bounds — set by this
 * year's extreme estimates — leave the composite's, the rank's and the change's 95 % intervals well under
 * 95 %, and no bootstrap correction tried (basic, bias-corrected, bounds frozen at the point estimate)
 * brings them to 93–97 %; `pooled` bounds bias the composite and under-cover the change in some frames.
 * `fixed` bounds cover 93–97 % on every count.
 */
export function methodologyWarnings(m: Methodology): string[] {
  const rule = m.normalisation.bounds;
  if (rule === 'observed') return ["bounds 'observed' make the scale depend on this year's extreme estimates: in simulation the composite's, ranks' and changes' 95 % intervals cover well under 95 % (docs/estimation.md §5); use 'fixed' bounds"];
  if (rule === 'pooled') return ["bounds 'pooled' widen the scale with past years' extreme estimates: in simulation the composite is biased and the change's 95 % interval covers under 93 % in some frames (docs/estimation.md §5); use 'fixed' bounds"];
  return [];
}

function tierProblems(file: string, at: string, tiers: Methodology['blocks'][number]['tiers']): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  if (tiers.scheme === 'fixed') {
    for (let i = 1; i < tiers.bands.length; i++) {
      if (tiers.bands[i]!.min >= tiers.bands[i - 1]!.min) problems.push({ file, path: `${at}/bands/${i}/min`, problem: 'bands must be listed from the highest down' });
    }
  } else {
    for (let i = 1; i < tiers.bands.length; i++) {
      if (tiers.bands[i]!.upTo <= tiers.bands[i - 1]!.upTo) problems.push({ file, path: `${at}/bands/${i}/upTo`, problem: 'bands must be listed from the best share up' });
    }
    if (tiers.bands.at(-1)!.upTo !== 1) problems.push({ file, path: `${at}/bands/${tiers.bands.length - 1}/upTo`, problem: 'the last band must reach 1' });
  }
  return problems;
}
