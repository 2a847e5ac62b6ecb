import type { Message } from '../i18n/index.js';
import { answerCodes, questionsOf, type CatalogProblem, type Methodology, type Question, type Questionnaire } from '../questionnaires/index.js';

/**
 * The designer's forms as changes to a draft document, and the checks' problems back beside the fields
 * they concern. Pure: the service checks and saves what these build.
 */

export type FieldErrors = Record<string, Message>;

const field = (body: Record<string, unknown>, name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
const checked = (body: Record<string, unknown>, name: string) => body[name] === 'on' || body[name] === 'yes' || body[name] === 'true';
/** The question types the designer offers, in the order its list shows them. */
export const QUESTION_TYPES: Question['type'][] = ['likert5', 'yesno', 'single', 'multiple', 'number', 'text'];

/** The fields of the question form, as the page shows them (from a question, or from what was sent). */
export function questionFields(q: Question | undefined): Record<string, string | boolean> {
  return {
    code: q?.code ?? '',
    type: q?.type ?? 'likert5',
    textVi: q?.text.vi ?? '',
    textEn: q?.text.en ?? '',
    helpVi: q?.help?.vi ?? '',
    helpEn: q?.help?.en ?? '',
    required: q?.required ?? true,
    dontKnow: q?.dontKnow ?? true,
    options: (q?.options ?? []).map((o) => `${o.code} | ${o.label.vi} | ${o.label.en}`).join('\n'),
    min: q?.min === undefined ? '' : String(q.min),
    max: q?.max === undefined ? '' : String(q.max),
    integer: q?.integer ?? false,
    unitVi: q?.unit?.vi ?? '',
    unitEn: q?.unit?.en ?? '',
    maxLength: q?.maxLength === undefined ? '' : String(q.maxLength),
    showIfQuestion: q?.showIf?.question ?? '',
    showIfAnswers: q?.showIf?.anyOf.join(' ') ?? '',
  };
}

/** A question from the form; what cannot even be read (a bound that is not a number) is a field error. */
export function questionFromForm(body: Record<string, unknown>): { question: Question; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const type = field(body, 'type') as Question['type'];
  if (!QUESTION_TYPES.includes(type)) errors.type = { key: 'designer.field.type' };
  const text = (vi: string, en: string) => ({ vi: field(body, vi), en: field(body, en) });
  const question: Question = { code: field(body, 'code'), type, text: text('textVi', 'textEn'), required: checked(body, 'required'), dontKnow: checked(body, 'dontKnow') };
  for (const [name, value] of [['textVi', question.text.vi], ['textEn', question.text.en]] as const) if (!value) errors[name] = { key: 'designer.field.required' };
  const help = text('helpVi', 'helpEn');
  if (help.vi || help.en) question.help = help;
  const number = (name: string): number | undefined => {
    const raw = field(body, name).replace(',', '.');
    if (raw === '') {
      errors[name] = { key: 'designer.field.required' };
      return undefined;
    }
    const value = Number(raw);
    if (!Number.isFinite(value)) errors[name] = { key: 'designer.field.number' };
    return value;
  };
  if (type === 'single' || type === 'multiple') {
    question.options = field(body, 'options')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const [code = '', vi = '', en = ''] = line.split('|').map((s) => s.trim());
        if (!code || !vi || !en) errors.options = { key: 'designer.field.options' };
        return { code, label: { vi, en } };
      });
    if (question.options.length < 2) errors.options = { key: 'designer.field.options' };
  }
  if (type === 'number') {
    question.min = number('min');
    question.max = number('max');
    if (checked(body, 'integer')) question.integer = true;
    const unit = text('unitVi', 'unitEn');
    if (unit.vi || unit.en) question.unit = unit;
  }
  if (type === 'text') question.maxLength = number('maxLength');
  const on = field(body, 'showIfQuestion');
  if (on) {
    const anyOf = field(body, 'showIfAnswers').split(/[\s,;]+/).filter(Boolean);
    if (!anyOf.length) errors.showIfAnswers = { key: 'designer.field.required' };
    question.showIf = { question: on, anyOf };
  }
  return { question, errors };
}

/** Which form field a problem of `/sections/s/questions/q/...` concerns. */
const QUESTION_FIELD: Record<string, string> = { code: 'code', type: 'type', text: 'textVi', help: 'helpVi', options: 'options', min: 'min', max: 'max', unit: 'unitVi', maxLength: 'maxLength', showIf: 'showIfQuestion', required: 'required', dontKnow: 'dontKnow' };

/** The problems of one question as field errors; the others (elsewhere in the documents) as a list. */
export function questionProblems(problems: CatalogProblem[], at: string): { errors: FieldErrors; others: CatalogProblem[] } {
  const errors: FieldErrors = {};
  const others: CatalogProblem[] = [];
  for (const problem of problems) {
    if (problem.path === at || problem.path.startsWith(`${at}/`)) {
      const [name = 'code', sub] = problem.path.slice(at.length + 1).split('/');
      const target = name === 'showIf' && sub === 'anyOf' ? 'showIfAnswers' : (QUESTION_FIELD[name] ?? 'code');
      errors[target] ??= problem.message;
    } else others.push(problem);
  }
  return { errors, others };
}

/** Where a question is: its section and index, and the pointer the checks use. */
export function locate(questionnaire: Questionnaire, code: string): { s: number; q: number; at: string } | undefined {
  for (const [s, section] of questionnaire.sections.entries()) {
    const q = section.questions.findIndex((x) => x.code === code);
    if (q >= 0) return { s, q, at: `/sections/${s}/questions/${q}` };
  }
  return undefined;
}

/** The choice questions before `code` (or all, for a new question), for the display rule's list. */
export function earlierChoiceQuestions(questionnaire: Questionnaire, code?: string): { code: string; text: Question['text']; answers: string }[] {
  const all = questionsOf(questionnaire);
  const until = code ? all.findIndex((q) => q.code === code) : all.length;
  return all
    .slice(0, until < 0 ? all.length : until)
    .filter((q) => q.type !== 'number' && q.type !== 'text')
    .map((q) => ({ code: q.code, text: q.text, answers: answerCodes(questionnaire, q).join(' ') }));
}

/** A block's weights from the form's `weight.<block>.<pillar>` percentages (blank: the pillar does not score the block). */
export function weightsFromForm(methodology: Methodology, body: Record<string, unknown>): { methodology: Methodology; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const next = structuredClone(methodology);
  for (const block of next.blocks) {
    const weights: Record<string, number> = {};
    for (const pillar of next.pillars) {
      const name = `weight.${block.code}.${pillar.code}`;
      const raw = field(body, name).replace(',', '.');
      if (raw === '') continue;
      const percent = Number(raw);
      if (!Number.isFinite(percent) || percent < 0 || percent > 100) errors[name] = { key: 'designer.field.percent' };
      else if (percent > 0) weights[pillar.code] = Math.round(percent * 1e6) / 1e8;
    }
    block.weights = weights;
  }
  return { methodology: next, errors };
}

/** Weights as the form shows them: percentages, blank where a pillar does not score the block. */
export const weightPercent = (w: number | undefined) => (w === undefined ? '' : String(Math.round(w * 1e8) / 1e6));

const lines = (text: string) => text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
const cells = (line: string) => line.split('|').map((s) => s.trim());

/** The indicator form's fields (from an indicator, or from what was sent). */
export function indicatorFields(methodology: Methodology, code?: string): Record<string, string> {
  const i = methodology.indicators.find((x) => x.code === code);
  const bounds = code ? methodology.normalisation.fixedBounds?.[code] : undefined;
  return {
    code: i?.code ?? '',
    question: i?.question ?? '',
    pillar: i?.pillar ?? methodology.pillars[0]?.code ?? '',
    measure: i?.measure ?? 'share',
    favourable: i?.favourable?.join(' ') ?? '',
    direction: i?.direction ?? 'higher',
    lower: bounds ? String(bounds[0]) : '',
    upper: bounds ? String(bounds[1]) : '',
    reasonVi: i?.comparable?.reason.vi ?? '',
    reasonEn: i?.comparable?.reason.en ?? '',
  };
}

/** The methodology with indicator `code` (or a new one, `code` undefined) as the form describes it. */
export function indicatorFromForm(methodology: Methodology, code: string | undefined, body: Record<string, unknown>): { methodology: Methodology; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const next = structuredClone(methodology);
  const measure = field(body, 'measure') as 'share' | 'mean';
  const direction = field(body, 'direction') as 'higher' | 'lower';
  if (measure !== 'share' && measure !== 'mean') errors.measure = { key: 'designer.field.type' };
  if (direction !== 'higher' && direction !== 'lower') errors.direction = { key: 'designer.field.type' };
  for (const name of ['code', 'question', 'pillar']) if (!field(body, name)) errors[name] = { key: 'designer.field.required' };
  const favourable = field(body, 'favourable').split(/[\s,;]+/).filter(Boolean);
  if (measure === 'share' && !favourable.length) errors.favourable = { key: 'designer.field.required' };
  const reason = { vi: field(body, 'reasonVi'), en: field(body, 'reasonEn') };
  const indicator = {
    code: field(body, 'code'),
    question: field(body, 'question'),
    pillar: field(body, 'pillar'),
    measure,
    ...(measure === 'share' ? { favourable } : {}),
    direction,
    ...(reason.vi || reason.en ? { comparable: { reason } } : {}),
  };
  const at = code === undefined ? -1 : next.indicators.findIndex((i) => i.code === code);
  if (at >= 0) next.indicators[at] = indicator;
  else next.indicators.push(indicator);
  const bounds = { ...(next.normalisation.fixedBounds ?? {}) };
  if (code !== undefined) delete bounds[code];
  const [lower, upper] = [field(body, 'lower'), field(body, 'upper')].map((v) => (v === '' ? undefined : Number(v.replace(',', '.'))));
  if ((lower === undefined) !== (upper === undefined)) errors[lower === undefined ? 'lower' : 'upper'] = { key: 'designer.field.required' };
  else if (lower !== undefined && upper !== undefined) {
    if (!Number.isFinite(lower)) errors.lower = { key: 'designer.field.number' };
    if (!Number.isFinite(upper)) errors.upper = { key: 'designer.field.number' };
    bounds[indicator.code] = [lower, upper];
  }
  if (Object.keys(bounds).length) next.normalisation.fixedBounds = bounds;
  else delete next.normalisation.fixedBounds;
  return { methodology: next, errors };
}

/** Which indicator-form field a problem of `/indicators/i/…` or `/normalisation/fixedBounds/CODE` concerns. */
export function indicatorProblems(problems: CatalogProblem[], index: number, code: string): { errors: FieldErrors; others: CatalogProblem[] } {
  const errors: FieldErrors = {};
  const others: CatalogProblem[] = [];
  for (const problem of problems) {
    const own = `/indicators/${index}`;
    if (problem.path === own || problem.path.startsWith(`${own}/`)) {
      const name = problem.path.slice(own.length + 1).split('/')[0] || 'code';
      errors[name] ??= problem.message;
    } else if (problem.path === `/normalisation/fixedBounds/${code}`) errors.lower ??= problem.message;
    else others.push(problem);
  }
  return { errors, others };
}

/** The methodology's settings form: minimums, the bounds rule, the pillars (one a line: code | vi | en) and each block's tiers. */
export function settingsFields(methodology: Methodology): Record<string, string> {
  const fields: Record<string, string> = {
    minAnswersPerUnit: String(methodology.minAnswersPerUnit),
    minStratumRespondents: methodology.minStratumRespondents === undefined ? '' : String(methodology.minStratumRespondents),
    pillarMinIndicatorShare: methodology.pillarMinIndicatorShare === undefined ? '' : String(methodology.pillarMinIndicatorShare),
    bounds: methodology.normalisation.bounds,
    pillars: methodology.pillars.map((p) => `${p.code} | ${p.name.vi} | ${p.name.en}`).join('\n'),
  };
  for (const block of methodology.blocks) {
    fields[`tiers.${block.code}.scheme`] = block.tiers.scheme;
    fields[`tiers.${block.code}.bands`] = block.tiers.bands.map((b) => `${'min' in b ? b.min : b.upTo} | ${b.label.vi} | ${b.label.en}`).join('\n');
  }
  return fields;
}

export function settingsFromForm(methodology: Methodology, body: Record<string, unknown>): { methodology: Methodology; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const next = structuredClone(methodology);
  const whole = (name: string, optional: boolean): number | undefined => {
    const raw = field(body, name).replace(',', '.');
    if (raw === '' && optional) return undefined;
    const value = Number(raw);
    if (raw === '' || !Number.isFinite(value)) errors[name] = { key: 'designer.field.number' };
    return value;
  };
  next.minAnswersPerUnit = whole('minAnswersPerUnit', false)!;
  const stratum = whole('minStratumRespondents', true);
  if (stratum === undefined) delete next.minStratumRespondents;
  else next.minStratumRespondents = stratum;
  const share = whole('pillarMinIndicatorShare', true);
  if (share === undefined) delete next.pillarMinIndicatorShare;
  else next.pillarMinIndicatorShare = share;
  const bounds = field(body, 'bounds');
  if (!['fixed', 'observed', 'pooled'].includes(bounds)) errors.bounds = { key: 'designer.field.type' };
  next.normalisation.bounds = bounds as Methodology['normalisation']['bounds'];
  next.pillars = lines(field(body, 'pillars')).map((line) => {
    const [code = '', vi = '', en = ''] = cells(line);
    if (!code || !vi || !en) errors.pillars = { key: 'designer.field.lines' };
    return { code, name: { vi, en } };
  });
  for (const block of next.blocks) {
    const scheme = field(body, `tiers.${block.code}.scheme`);
    const bands = lines(field(body, `tiers.${block.code}.bands`)).map((line) => {
      const [at = '', vi = '', en = ''] = cells(line);
      const value = Number(at.replace(',', '.'));
      if (!at || !Number.isFinite(value) || !vi || !en) errors[`tiers.${block.code}.bands`] = { key: 'designer.field.lines' };
      return scheme === 'relative' ? { upTo: value, label: { vi, en } } : { min: value, label: { vi, en } };
    });
    if (scheme !== 'fixed' && scheme !== 'relative') errors[`tiers.${block.code}.scheme`] = { key: 'designer.field.type' };
    block.tiers = { scheme, bands } as Methodology['blocks'][number]['tiers'];
  }
  return { methodology: next, errors };
}

/** The settings form's field for a problem of the methodology (its pointer), or undefined when it has none. */
export function settingsField(methodology: Methodology, path: string): string | undefined {
  const top = path.split('/')[1];
  if (top === 'minAnswersPerUnit' || top === 'minStratumRespondents' || top === 'pillarMinIndicatorShare') return top;
  if (top === 'pillars') return 'pillars';
  if (path.startsWith('/normalisation/bounds') || path.startsWith('/normalisation/pooledYears')) return 'bounds';
  const block = /^\/blocks\/(\d+)\/tiers/.exec(path);
  if (block) return `tiers.${methodology.blocks[Number(block[1])]?.code}.bands`;
  return undefined;
}

/** The questionnaire's own texts as the form shows them: title, introduction, each section's title, and a new section. */
export function detailsFields(questionnaire: Questionnaire): Record<string, string> {
  const fields: Record<string, string> = {
    titleVi: questionnaire.title.vi,
    titleEn: questionnaire.title.en,
    introVi: questionnaire.intro?.vi ?? '',
    introEn: questionnaire.intro?.en ?? '',
    newCode: '',
    newVi: '',
    newEn: '',
  };
  for (const s of questionnaire.sections) Object.assign(fields, { [`section.${s.code}.vi`]: s.title.vi, [`section.${s.code}.en`]: s.title.en });
  return fields;
}

/**
 * The questionnaire with the texts of the details form; a new section (code and both titles) is added at
 * the end, empty — its first question is added next (a section needs one before the form can be saved).
 */
export function detailsFromForm(questionnaire: Questionnaire, body: Record<string, unknown>): { questionnaire: Questionnaire; errors: FieldErrors; newSection?: string } {
  const errors: FieldErrors = {};
  const next = structuredClone(questionnaire);
  const text = (vi: string, en: string) => ({ vi: field(body, vi), en: field(body, en) });
  next.title = text('titleVi', 'titleEn');
  for (const name of ['titleVi', 'titleEn']) if (!field(body, name)) errors[name] = { key: 'designer.field.required' };
  const intro = text('introVi', 'introEn');
  if (intro.vi || intro.en) next.intro = intro;
  else delete next.intro;
  for (const s of next.sections) {
    s.title = text(`section.${s.code}.vi`, `section.${s.code}.en`);
    for (const lang of ['vi', 'en'] as const) if (!s.title[lang]) errors[`section.${s.code}.${lang}`] = { key: 'designer.field.required' };
  }
  const code = field(body, 'newCode');
  if (!code) return { questionnaire: next, errors };
  if (!/^[A-Z]$/.test(code)) errors.newCode = { key: 'designer.field.sectionCode' };
  else if (next.sections.some((s) => s.code === code)) errors.newCode = { key: 'design.sectionTwice', params: { code } };
  const title = text('newVi', 'newEn');
  if (!title.vi) errors.newVi = { key: 'designer.field.required' };
  if (!title.en) errors.newEn = { key: 'designer.field.required' };
  return { questionnaire: next, errors, newSection: code };
}
