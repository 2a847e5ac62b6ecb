import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { translate, type Message, type MessageKey, type MessageParams } from '../i18n/index.js';
import { fromRoot } from '../paths.js';
import { answerCodes, answerSchema, questionsOf } from './answer-schema.js';
import { DONT_KNOW, type Methodology, type Question, type Questionnaire } from './types.js';

/**
 * Loads every questionnaire and the methodology under survey-schemas/, validates each file against its
 * meta-schema and against the others (codes unique, indicators pointing at real questions and pillars,
 * weights summing to 1), and compiles each questionnaire's answer schema once.
 */

/** A problem in a questionnaire or methodology: where (`file` or other source, JSON pointer) and what, as a message for the reader's language and in English for logs and the CLI. */
export interface CatalogProblem {
  file: string;
  path: string;
  problem: string;
  message: Message;
}

function problemAt(file: string, path: string, key: MessageKey, params?: MessageParams): CatalogProblem {
  return { file, path, problem: translate('en', key, params), message: { key, params } };
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
  /** Validates answers to a questionnaire (key `id-version`), compiled on first use. */
  answerValidator(questionnaireKey: string): ValidateFunction;
  /** Adds documents checked elsewhere (versions approved in the designer); the newest methodology follows. */
  install(documents: CheckedDocuments): void;
}

export const questionnaireKey = (q: Pick<Questionnaire, 'id' | 'version'>) => `${q.id}-${q.version}`;

function readJson(file: string, problems: CatalogProblem[], root: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(problemAt(path.relative(root, file), '', 'design.notJson', { detail: (error as Error).message }));
    return undefined;
  }
}

/** ajv's English words, kept as the detail of a localised “does not follow the form” message. */
const describe = (file: string, errors: ErrorObject[] | null | undefined): CatalogProblem[] =>
  (errors ?? []).map((e) => problemAt(file, e.instancePath, 'design.schema', { detail: `${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}` }));

/** One questionnaire or methodology document, from a file, the database or a workbook; `source` names it in problems. */
export interface SurveyDocument {
  source: string;
  data: unknown;
}

export interface CheckedDocuments {
  questionnaires: Map<string, Questionnaire>;
  methodologies: Map<string, Methodology>;
}

const metaSchemas = new Map<string, { questionnaire: ValidateFunction; methodology: ValidateFunction }>();

/** The meta-schemas of a survey-schemas folder, compiled once per folder (files are checked as written: no coercion). */
function metaSchemasOf(root: string) {
  let compiled = metaSchemas.get(root);
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const read = (name: string) => JSON.parse(readFileSync(path.join(root, 'meta', name), 'utf8'));
    compiled = { questionnaire: ajv.compile(read('questionnaire.schema.json')), methodology: ajv.compile(read('methodology.schema.json')) };
    metaSchemas.set(root, compiled);
  }
  return compiled;
}

/**
 * Checks questionnaires and methodologies against their meta-schemas, each questionnaire on its own (codes
 * unique, display rules on earlier questions) and each methodology against the questionnaires it names —
 * those given here or, for documents that build on installed ones, those of `installed`. The same rules
 * whether the documents come from files, the designer or a workbook (docs/designer.md §2).
 */
export function checkSurveyDocuments(
  documents: { questionnaires: SurveyDocument[]; methodologies: SurveyDocument[] },
  installed: Partial<CheckedDocuments> = {},
  root = installedRoot,
): { problems: CatalogProblem[] } & CheckedDocuments {
  const problems: CatalogProblem[] = [];
  const meta = metaSchemasOf(root);
  const questionnaires = new Map<string, Questionnaire>();
  for (const { source, data } of documents.questionnaires) {
    if (!meta.questionnaire(data)) {
      problems.push(...describe(source, meta.questionnaire.errors));
      continue;
    }
    const questionnaire = data as Questionnaire;
    problems.push(...questionnaireProblems(source, questionnaire));
    if (questionnaires.has(questionnaireKey(questionnaire))) problems.push(problemAt(source, '/version', 'design.questionnaireTwice', { key: questionnaireKey(questionnaire) }));
    questionnaires.set(questionnaireKey(questionnaire), questionnaire);
  }
  const known = new Map([...(installed.questionnaires ?? []), ...questionnaires]);
  const methodologies = new Map<string, Methodology>();
  for (const { source, data } of documents.methodologies) {
    if (!meta.methodology(data)) {
      problems.push(...describe(source, meta.methodology.errors));
      continue;
    }
    const methodology = data as Methodology;
    problems.push(...crossCheck(source, methodology, known));
    if (methodologies.has(methodology.version)) problems.push(problemAt(source, '/version', 'design.methodologyTwice', { version: methodology.version }));
    methodologies.set(methodology.version, methodology);
  }
  return { problems, questionnaires, methodologies };
}

export function loadCatalog(root = fromRoot('survey-schemas')): Catalog {
  const problems: CatalogProblem[] = [];
  const read = (dir: string, pattern: RegExp, prefix: string): SurveyDocument[] =>
    readdirSync(path.join(root, dir))
      .filter((n) => pattern.test(n))
      .sort()
      .map((name) => ({ source: prefix + name, data: readJson(path.join(root, dir, name), problems, root) }))
      .filter((d) => d.data !== undefined);
  const questionnaireFiles = read('questionnaires', /\.json$/, 'questionnaires/');
  const methodologyFiles = read('.', /^methodology-.*\.json$/, '');
  if (!methodologyFiles.length && !problems.length) problems.push(problemAt('methodology-*.json', '', 'design.noMethodology'));
  const checked = checkSurveyDocuments({ questionnaires: questionnaireFiles, methodologies: methodologyFiles }, {}, root);
  problems.push(...checked.problems);
  // A file is named by what it holds, so that a campaign's pin finds the file it means.
  for (const { source, data } of questionnaireFiles) {
    const q = data as Partial<Questionnaire>;
    if (checked.questionnaires.get(`${q.id}-${q.version}`) === data && source !== `questionnaires/${q.id}-${q.version}.json`) problems.push(problemAt(source, '/version', 'design.fileName', { name: `${q.id}-${q.version}.json` }));
  }
  for (const { source, data } of methodologyFiles) {
    const m = data as Partial<Methodology>;
    if (checked.methodologies.get(m.version!) === data && source !== `methodology-${m.version}.json`) problems.push(problemAt(source, '/version', 'design.fileName', { name: `methodology-${m.version}.json` }));
  }
  if (problems.length) throw new CatalogError(problems);
  return catalogOf(checked);
}

/** A catalogue of checked documents; more (approved in the designer) can be installed into it later. */
export function catalogOf(checked: CheckedDocuments): Catalog {
  const validators = new Map<string, ValidateFunction>();
  const answers = new Ajv({ allErrors: true, coerceTypes: true, strict: true });
  const catalog: Catalog = {
    questionnaires: new Map(checked.questionnaires),
    methodologies: new Map(checked.methodologies),
    methodology: newest(checked.methodologies.values()),
    answerValidator: (key) => {
      let validate = validators.get(key);
      if (!validate) {
        const questionnaire = catalog.questionnaires.get(key);
        if (!questionnaire) throw new Error(`no questionnaire ${key}`);
        validate = answers.compile(answerSchema(questionnaire));
        validators.set(key, validate);
      }
      return validate;
    },
    install: (more) => {
      for (const [key, q] of more.questionnaires) catalog.questionnaires.set(key, q);
      for (const [version, m] of more.methodologies) catalog.methodologies.set(version, m);
      catalog.methodology = newest(catalog.methodologies.values());
    },
  };
  return catalog;
}

function newest(methodologies: Iterable<Methodology>): Methodology {
  const last = [...methodologies].sort((a, b) => compareVersions(a.version, b.version)).at(-1);
  if (!last) throw new CatalogError([problemAt('methodology-*.json', '', 'design.noMethodology')]);
  return last;
}

/** Rules within one questionnaire that its meta-schema cannot state. */
function questionnaireProblems(file: string, questionnaire: Questionnaire): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const earlier = new Map<string, Question>();
  const sectionCodes = new Set<string>();
  questionnaire.sections.forEach((section, s) => {
    if (sectionCodes.has(section.code)) problems.push(problemAt(file, `/sections/${s}/code`, 'design.sectionTwice', { code: section.code }));
    sectionCodes.add(section.code);
    section.questions.forEach((question, q) => {
      const at = `/sections/${s}/questions/${q}`;
      if (earlier.has(question.code)) problems.push(problemAt(file, `${at}/code`, 'design.questionTwice', { code: question.code }));
      const optionCodes = (question.options ?? []).map((o) => o.code);
      if (new Set(optionCodes).size !== optionCodes.length) problems.push(problemAt(file, `${at}/options`, 'design.optionsRepeat'));
      if (question.options && !['single', 'multiple'].includes(question.type)) problems.push(problemAt(file, `${at}/options`, 'design.optionsNotHere', { type: question.type }));
      if (question.type === 'number' && question.min! > question.max!) problems.push(problemAt(file, `${at}/min`, 'design.minAboveMax'));
      const rule = question.showIf;
      if (rule) {
        const on = earlier.get(rule.question);
        if (!on) problems.push(problemAt(file, `${at}/showIf/question`, 'design.ruleNoQuestion', { code: rule.question }));
        else if (on.type === 'number' || on.type === 'text') problems.push(problemAt(file, `${at}/showIf/question`, 'design.ruleNotChoice', { code: on.code, type: on.type }));
        else {
          const codes = [...answerCodes(questionnaire, on), ...(on.dontKnow ? [DONT_KNOW] : [])];
          for (const value of rule.anyOf) if (!codes.includes(value)) problems.push(problemAt(file, `${at}/showIf/anyOf`, 'design.notAnAnswer', { value, code: on.code }));
        }
      }
      earlier.set(question.code, question);
    });
  });
  return problems;
}

/** A methodology file on its own (for `ddci score`), checked against its meta-schema. */
export function loadMethodology(file: string, root = fromRoot('survey-schemas')): Methodology {
  const problems: CatalogProblem[] = [];
  const data = readJson(file, problems, path.dirname(file));
  const check = metaSchemasOf(root).methodology;
  if (data !== undefined && !check(data)) problems.push(...describe(path.basename(file), check.errors));
  if (problems.length) throw new CatalogError(problems);
  return data as Methodology;
}

let installedRoot = fromRoot('survey-schemas');
let installed: Catalog | undefined;

/** The folder of questionnaires and methodologies in use. */
export const installedSchemasRoot = () => installedRoot;

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
    if (blockCodes.has(block.code)) problems.push(problemAt(file, `${at}/code`, 'design.blockTwice', { code: block.code }));
    blockCodes.add(block.code);
    for (const code of Object.keys(block.weights)) if (!pillarCodes.has(code)) problems.push(problemAt(file, `${at}/weights/${code}`, 'design.noPillar', { code }));
    const total = Object.values(block.weights).reduce((a, w) => a + w, 0);
    if (Math.abs(total - 1) > 1e-9) problems.push(problemAt(file, `${at}/weights`, 'design.weightsSum', { total: Number(total.toFixed(12)) }));
    problems.push(...tierProblems(file, `${at}/tiers`, block.tiers));
    const questionnaire = questionnaires.get(block.questionnaire);
    if (!questionnaire) {
      problems.push(problemAt(file, `${at}/questionnaire`, 'design.noQuestionnaire', { key: block.questionnaire }));
      return;
    }
    const questions = new Map(questionsOf(questionnaire).map((q) => [q.code, q]));
    m.indicators.forEach((indicator, i) => {
      if (!block.weights[indicator.pillar]) return; // this pillar does not score this block
      const question = questions.get(indicator.question);
      if (!question) {
        problems.push(problemAt(file, `/indicators/${i}/question`, 'design.notAQuestion', { code: indicator.question, questionnaire: block.questionnaire, block: block.code }));
        return;
      }
      if (indicator.measure === 'mean' && question.type !== 'number') problems.push(problemAt(file, `/indicators/${i}/measure`, 'design.meanNeedsNumber', { code: question.code, type: question.type }));
      if (indicator.measure === 'share' && (question.type === 'number' || question.type === 'text')) problems.push(problemAt(file, `/indicators/${i}/measure`, 'design.shareNeedsChoice', { code: question.code, type: question.type }));
      const allowed = answerCodes(questionnaire, question);
      for (const value of indicator.favourable ?? []) {
        if (!allowed.includes(value)) problems.push(problemAt(file, `/indicators/${i}/favourable`, 'design.notAnAnswer', { value, code: question.code }));
      }
    });
  });
  m.indicators.forEach((indicator, i) => {
    if (!pillarCodes.has(indicator.pillar)) problems.push(problemAt(file, `/indicators/${i}/pillar`, 'design.noPillar', { code: indicator.pillar }));
  });
  if (m.normalisation.bounds === 'pooled' && !m.normalisation.pooledYears) problems.push(problemAt(file, '/normalisation/pooledYears', 'design.pooledYears'));
  if (m.normalisation.bounds === 'fixed') {
    m.indicators.forEach((indicator, i) => {
      const bounds = m.normalisation.fixedBounds?.[indicator.code];
      if (!bounds) problems.push(problemAt(file, `/normalisation/fixedBounds/${indicator.code}`, 'design.fixedBoundsMissing', { code: indicator.code, at: `/indicators/${i}` }));
      else if (!(bounds[0] < bounds[1])) problems.push(problemAt(file, `/normalisation/fixedBounds/${indicator.code}`, 'design.boundsOrder'));
      else if (indicator.measure === 'share' && (bounds[0] < 0 || bounds[1] > 1)) problems.push(problemAt(file, `/normalisation/fixedBounds/${indicator.code}`, 'design.shareBounds'));
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
      if (tiers.bands[i]!.min >= tiers.bands[i - 1]!.min) problems.push(problemAt(file, `${at}/bands/${i}/min`, 'design.tiersFixedOrder'));
    }
  } else {
    for (let i = 1; i < tiers.bands.length; i++) {
      if (tiers.bands[i]!.upTo <= tiers.bands[i - 1]!.upTo) problems.push(problemAt(file, `${at}/bands/${i}/upTo`, 'design.tiersRelativeOrder'));
    }
    if (tiers.bands.at(-1)!.upTo !== 1) problems.push(problemAt(file, `${at}/bands/${tiers.bands.length - 1}/upTo`, 'design.tiersLastBand'));
  }
  return problems;
}
