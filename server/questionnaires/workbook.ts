import ExcelJS from 'exceljs';
import { translate, type Message, type MessageKey, type MessageParams } from '../i18n/index.js';
import { checkSurveyDocuments, questionnaireKey, type CheckedDocuments } from './catalog.js';
import { DONT_KNOW, type Methodology, type Question, type Questionnaire, type Text, type TierScheme } from './types.js';

/**
 * Questionnaires and methodologies as a workbook in XLSForm's shape (docs/designer.md §3): sheets `survey`,
 * `choices` and `settings` as XLSForm defines them, plus `pillars`, `blocks`, `tiers` and `indicators` for
 * the index. Writing and reading are exact inverses for every document the meta-schemas accept; reading
 * reports every problem at once with its sheet, row and column, and supports only the part of XLSForm the
 * platform can answer — anything else is refused by name, never dropped.
 */

const LANGUAGE = { vi: 'Tiếng Việt (vi)', en: 'English (en)' } as const;
type Lang = keyof typeof LANGUAGE;
const LANGS: Lang[] = ['vi', 'en'];
const inLang = (base: string, lang: Lang) => `${base}::${LANGUAGE[lang]}`;
const textColumns = (base: string) => LANGS.map((l) => inLang(base, l));

/** The lists every questionnaire shares: the five-point scale, yes/no and “don't know”. */
const SCALE_LISTS = { likert5: 'likert5', yesno: 'yesno', dontKnow: 'dont_know' } as const;

/** XLSForm types the platform cannot answer, named so that a workbook using one is refused clearly. */
const UNSUPPORTED_TYPES = [
  'range', 'rank', 'geopoint', 'geotrace', 'geoshape', 'date', 'time', 'datetime', 'image', 'audio', 'background-audio', 'video',
  'file', 'barcode', 'calculate', 'acknowledge', 'hidden', 'xml-external', 'csv-external', 'begin_repeat', 'end_repeat',
  'select_one_from_file', 'select_multiple_from_file', 'start', 'end', 'today', 'deviceid', 'phonenumber', 'username',
  'email', 'audit', 'start-geopoint', 'trigger', 'integer_range',
];

export interface WorkbookProblem {
  sheet: string;
  row?: number;
  column?: string;
  message: Message;
  /** The whole problem in English: “survey, row 14, relevant: no question B9 before this one”. */
  problem: string;
}

export interface WorkbookDocuments {
  questionnaire?: Questionnaire;
  methodology?: Methodology;
}

// ————— writing —————

const SURVEY_COLUMNS = ['type', 'name', ...textColumns('label'), ...textColumns('hint'), 'required', 'relevant', 'constraint', 'dont_know', ...textColumns('unit')];
const CHOICE_COLUMNS = ['list_name', 'name', ...textColumns('label')];

/** Methodology settings: workbook column, JSON path and kind. */
const METHOD_SETTINGS: { column: string; get: (m: Methodology) => unknown; kind: 'text' | 'number' }[] = [
  { column: 'methodology_version', get: (m) => m.version, kind: 'text' },
  { column: 'min_answers_per_unit', get: (m) => m.minAnswersPerUnit, kind: 'number' },
  { column: 'pillar_min_indicator_share', get: (m) => m.pillarMinIndicatorShare, kind: 'number' },
  { column: 'min_stratum_respondents', get: (m) => m.minStratumRespondents, kind: 'number' },
  { column: 'normalisation', get: (m) => m.normalisation.method, kind: 'text' },
  { column: 'scale_min', get: (m) => m.normalisation.scale[0], kind: 'number' },
  { column: 'scale_max', get: (m) => m.normalisation.scale[1], kind: 'number' },
  { column: 'all_equal_score', get: (m) => m.normalisation.allEqualScore, kind: 'number' },
  { column: 'bounds', get: (m) => m.normalisation.bounds, kind: 'text' },
  { column: 'pooled_years', get: (m) => m.normalisation.pooledYears, kind: 'number' },
  { column: 'composite_scale', get: (m) => m.composite.scale, kind: 'number' },
  { column: inLang('composite_description', 'vi'), get: (m) => m.composite.description?.vi, kind: 'text' },
  { column: inLang('composite_description', 'en'), get: (m) => m.composite.description?.en, kind: 'text' },
  { column: 'bootstrap_replicates', get: (m) => m.bootstrap.replicates, kind: 'number' },
  { column: 'bootstrap_confidence', get: (m) => m.bootstrap.confidence, kind: 'number' },
  { column: 'share_interval', get: (m) => m.shareInterval, kind: 'text' },
];

const typeOf = (q: Question): string =>
  q.type === 'likert5' ? `select_one ${SCALE_LISTS.likert5}`
  : q.type === 'yesno' ? `select_one ${SCALE_LISTS.yesno}`
  : q.type === 'single' ? `select_one ${q.code}`
  : q.type === 'multiple' ? `select_multiple ${q.code}`
  : q.type === 'number' ? (q.integer ? 'integer' : 'decimal')
  : 'text';

function relevantOf(q: Question, all: Map<string, Question>): string {
  if (!q.showIf) return '';
  const on = q.showIf.question;
  const multiple = all.get(on)?.type === 'multiple';
  return q.showIf.anyOf.map((v) => (multiple ? `selected(\${${on}}, '${v}')` : `\${${on}} = '${v}'`)).join(' or ');
}

const constraintOf = (q: Question): string =>
  q.type === 'number' ? `. >= ${q.min} and . <= ${q.max}` : q.type === 'text' ? `string-length(.) <= ${q.maxLength}` : '';

function addSheet(book: ExcelJS.Workbook, name: string, columns: string[], rows: unknown[][]): void {
  const sheet = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(columns).font = { bold: true };
  for (const row of rows) sheet.addRow(row.map((v) => (v === undefined ? null : v)));
  sheet.columns.forEach((column, i) => (column.width = Math.min(60, Math.max(10, ...[columns[i]!, ...rows.map((r) => String(r[i] ?? ''))].map((s) => s.length + 2)))));
}

const both = (text: Text | undefined) => [text?.vi, text?.en];

/** The workbook of a questionnaire, a methodology, or both (a province's one-block index with its form). */
export async function writeWorkbook({ questionnaire, methodology }: WorkbookDocuments): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const settings: Record<string, unknown> = {};
  if (questionnaire) {
    const all = new Map(questionnaire.sections.flatMap((s) => s.questions).map((q) => [q.code, q]));
    const survey: unknown[][] = [];
    if (questionnaire.intro) survey.push(['note', 'intro', ...both(questionnaire.intro)]);
    for (const section of questionnaire.sections) {
      survey.push(['begin_group', section.code, ...both(section.title)]);
      for (const q of section.questions) {
        survey.push([typeOf(q), q.code, ...both(q.text), ...both(q.help), q.required ? 'yes' : 'no', relevantOf(q, all), constraintOf(q), q.dontKnow ? 'yes' : 'no', ...both(q.unit)]);
      }
      survey.push(['end_group', section.code]);
    }
    addSheet(book, 'survey', SURVEY_COLUMNS, survey);
    const { scales } = questionnaire;
    const choices: unknown[][] = [
      ...Object.entries(scales.likert5).map(([name, label]) => [SCALE_LISTS.likert5, name, ...both(label)]),
      ...Object.entries(scales.yesno).map(([name, label]) => [SCALE_LISTS.yesno, name, ...both(label)]),
      [SCALE_LISTS.dontKnow, DONT_KNOW, ...both(scales.dontKnow)],
      ...[...all.values()].flatMap((q) => (q.options ?? []).map((o) => [q.code, o.code, ...both(o.label)])),
    ];
    addSheet(book, 'choices', CHOICE_COLUMNS, choices);
    Object.assign(settings, { form_id: questionnaire.id, version: questionnaire.version, [inLang('form_title', 'vi')]: questionnaire.title.vi, [inLang('form_title', 'en')]: questionnaire.title.en, default_language: LANGUAGE.vi });
  }
  if (methodology) {
    for (const s of METHOD_SETTINGS) settings[s.column] = s.get(methodology);
    const pillars = methodology.pillars.map((p) => p.code);
    addSheet(book, 'pillars', ['name', ...textColumns('label')], methodology.pillars.map((p) => [p.code, ...both(p.name)]));
    addSheet(book, 'blocks', ['name', ...textColumns('label'), 'questionnaire', 'tiers', ...pillars.map((p) => `weight::${p}`)],
      methodology.blocks.map((b) => [b.code, ...both(b.name), b.questionnaire, b.tiers.scheme, ...pillars.map((p) => b.weights[p])]));
    addSheet(book, 'tiers', ['block', 'min', 'up_to', ...textColumns('label')],
      methodology.blocks.flatMap((b) => b.tiers.bands.map((band) => [b.code, 'min' in band ? band.min : undefined, 'upTo' in band ? band.upTo : undefined, ...both(band.label)])));
    addSheet(book, 'indicators', ['name', 'question', 'pillar', 'measure', 'favourable', 'direction', 'lower', 'upper', ...textColumns('comparable_reason')],
      methodology.indicators.map((i) => {
        const bounds = methodology.normalisation.fixedBounds?.[i.code];
        return [i.code, i.question, i.pillar, i.measure, i.favourable?.join(' '), i.direction, bounds?.[0], bounds?.[1], ...both(i.comparable?.reason)];
      }));
  }
  const columns = Object.keys(settings).filter((k) => settings[k] !== undefined);
  addSheet(book, 'settings', columns, [columns.map((k) => settings[k])]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

// ————— reading —————

interface SheetRow {
  row: number;
  cells: Map<string, string>;
}

interface Sheet {
  name: string;
  columns: string[];
  rows: SheetRow[];
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('').trim();
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text).trim();
    if (value instanceof Date) return value.toISOString().slice(0, 10);
  }
  return String(value).trim();
}

/** Which of our languages a column's language part names: `Tiếng Việt (vi)`, `Vietnamese (vi)`, `vi`, `English`… */
function languageOf(part: string): Lang | undefined {
  const code = /\((\w+)\)\s*$/.exec(part)?.[1]?.toLowerCase() ?? part.trim().toLowerCase();
  if (['vi', 'vie', 'vietnamese', 'tiếng việt'].includes(code)) return 'vi';
  if (['en', 'eng', 'english', 'tiếng anh'].includes(code)) return 'en';
  return undefined;
}

/**
 * A column name as written, with XLSForm's spellings made one: `list name` = `list_name`, any case, and a
 * language column in any of XLSForm's forms (`label::Vietnamese (vi)`, `label::vi`) as ours.
 */
function columnKey(header: string): string {
  const name = header.trim().replace(/^list name$/i, 'list_name').replace(/^(\w+)(?=::|$)/, (w) => w.toLowerCase());
  const [base, language] = name.split('::');
  const lang = language === undefined ? undefined : languageOf(language);
  return lang ? inLang(base!, lang) : name;
}

function readSheet(worksheet: ExcelJS.Worksheet): Sheet {
  const columns: string[] = [];
  worksheet.getRow(1).eachCell({ includeEmpty: true }, (cell, i) => (columns[i - 1] = columnKey(cellText(cell.value))));
  const rows: SheetRow[] = [];
  worksheet.eachRow((row, number) => {
    if (number === 1) return;
    const cells = new Map<string, string>();
    row.eachCell({ includeEmpty: false }, (cell, i) => {
      const text = cellText(cell.value);
      if (text && columns[i - 1]) cells.set(columns[i - 1]!, text);
    });
    if (cells.size) rows.push({ row: number, cells });
  });
  return { name: worksheet.name.trim().toLowerCase(), columns: columns.filter(Boolean), rows };
}

/** Where a JSON pointer of the documents came from in the workbook. */
type Origin = { sheet: string; row?: number; column?: string };

class Reader {
  readonly problems: WorkbookProblem[] = [];
  readonly origins = new Map<string, Origin>();

  constructor(readonly sheets: Map<string, Sheet>) {}

  report(where: Origin, key: MessageKey, params: MessageParams = {}): void {
    const place = where.row === undefined ? where.sheet : `${where.sheet}, row ${where.row}`;
    this.problems.push({ ...where, message: { key, params }, problem: `${place}${where.column ? `, ${where.column}` : ''}: ${translate('en', key, params)}` });
  }

  /** The text of a language column, falling back to the bare column for Vietnamese (XLSForm's default language). */
  text(sheet: string, row: SheetRow, base: string, required: boolean): Text | undefined {
    const vi = row.cells.get(inLang(base, 'vi')) ?? row.cells.get(base);
    const en = row.cells.get(inLang(base, 'en'));
    if (!vi && !en && !required) return undefined;
    for (const [lang, value] of [['vi', vi], ['en', en]] as const) if (!value) this.report({ sheet, row: row.row, column: inLang(base, lang) }, 'workbook.textMissing');
    return { vi: vi ?? '', en: en ?? '' };
  }

  /** Columns this reader does not know, refused where they hold something (the platform cannot honour them). */
  refuseUnknown(sheet: Sheet, known: (column: string) => boolean): void {
    for (const column of sheet.columns) {
      if (known(column)) continue;
      const first = sheet.rows.find((r) => r.cells.has(column));
      if (first) this.report({ sheet: sheet.name, row: first.row, column }, 'workbook.unknownColumn', { column });
    }
  }

  number(where: Origin, text: string | undefined): number | undefined {
    if (text === undefined) return undefined;
    const value = Number(text.replace(',', '.'));
    if (!Number.isFinite(value)) this.report(where, 'workbook.notANumber', { value: text });
    return value;
  }
}

const knownColumn = (bases: string[]) => (column: string) => bases.some((b) => column === b || column.startsWith(`${b}::`));
const yes = (text: string | undefined) => /^(yes|true|true\(\)|1|có)$/i.test(text ?? '');
const isNo = (text: string | undefined) => text === undefined || /^(no|false|false\(\)|0|không)$/i.test(text);

/** `${B1} = 'yes' or ${B1} = 'no'`, `selected(${B2}, 'a') or …`: conditions on one earlier question, joined by `or`. */
function parseRelevant(text: string): { question: string; anyOf: string[]; selected: boolean } | null {
  const terms = text.split(/\s+or\s+/);
  let question: string | undefined;
  let selected: boolean | undefined;
  const anyOf: string[] = [];
  for (const term of terms) {
    const m = /^\s*(?:\$\{([A-Za-z0-9_.]+)\}\s*=\s*(['"])([^'"]*)\2|selected\(\s*\$\{([A-Za-z0-9_.]+)\}\s*,\s*(['"])([^'"]*)\5\s*\))\s*$/.exec(term);
    if (!m) return null;
    const [on, value, isSelected] = m[1] ? [m[1], m[3]!, false] : [m[4]!, m[6]!, true];
    if ((question && question !== on) || (selected !== undefined && selected !== isSelected)) return null;
    question = on;
    selected = isSelected;
    anyOf.push(value);
  }
  return question ? { question, anyOf, selected: selected! } : null;
}

function parseNumberConstraint(text: string): { min: number; max: number } | null {
  const bounds: Record<string, number> = {};
  for (const term of text.split(/\s+and\s+/)) {
    const m = /^\s*\.\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(term);
    if (!m) return null;
    bounds[m[1]!] = Number(m[2]);
  }
  return bounds['>='] !== undefined && bounds['<='] !== undefined && text.split(/\s+and\s+/).length === 2 ? { min: bounds['>=']!, max: bounds['<=']! } : null;
}

function readQuestionnaire(r: Reader, survey: Sheet, choicesSheet: Sheet | undefined, settings: SheetRow | undefined): Questionnaire | undefined {
  r.refuseUnknown(survey, knownColumn(['type', 'name', 'label', 'hint', 'required', 'relevant', 'constraint', 'dont_know', 'unit']));
  const lists = new Map<string, { name: string; label: Text; row: number }[]>();
  if (choicesSheet) {
    r.refuseUnknown(choicesSheet, knownColumn(['list_name', 'name', 'label']));
    for (const row of choicesSheet.rows) {
      const list = row.cells.get('list_name');
      const name = row.cells.get('name');
      if (!list) r.report({ sheet: 'choices', row: row.row, column: 'list_name' }, 'workbook.missing');
      if (!name) r.report({ sheet: 'choices', row: row.row, column: 'name' }, 'workbook.missing');
      const label = r.text('choices', row, 'label', true)!;
      if (!list || !name) continue;
      if (lists.get(list)?.some((c) => c.name === name)) r.report({ sheet: 'choices', row: row.row, column: 'name' }, 'workbook.choiceTwice', { name, list });
      lists.set(list, [...(lists.get(list) ?? []), { name, label, row: row.row }]);
    }
  }
  const scale = <K extends string>(list: string, names: readonly K[]): Record<K, Text> | undefined => {
    const given = lists.get(list);
    if (!given) return undefined;
    if (given.map((c) => c.name).join(' ') !== names.join(' ')) {
      r.report({ sheet: 'choices', row: given[0]!.row, column: 'name' }, 'workbook.scaleList', { list, names: names.join(', ') });
      return undefined;
    }
    return Object.fromEntries(given.map((c) => [c.name, c.label])) as Record<K, Text>;
  };
  const dontKnow = lists.get(SCALE_LISTS.dontKnow);
  if (dontKnow && (dontKnow.length !== 1 || dontKnow[0]!.name !== DONT_KNOW)) r.report({ sheet: 'choices', row: dontKnow[0]!.row, column: 'name' }, 'workbook.scaleList', { list: SCALE_LISTS.dontKnow, names: DONT_KNOW });
  const scales = {
    likert5: scale(SCALE_LISTS.likert5, ['1', '2', '3', '4', '5'] as const) ?? DEFAULT_SCALES.likert5,
    yesno: scale(SCALE_LISTS.yesno, ['yes', 'no'] as const) ?? DEFAULT_SCALES.yesno,
    dontKnow: dontKnow?.[0]?.label ?? DEFAULT_SCALES.dontKnow,
  };

  const sections: Questionnaire['sections'] = [];
  let intro: Text | undefined;
  let open: { code: string; row: number } | undefined;
  const seen = new Map<string, Question>();
  const usedLists = new Set<string>();
  for (const row of survey.rows) {
    const where = (column?: string): Origin => ({ sheet: 'survey', row: row.row, column });
    const rawType = (row.cells.get('type') ?? '').replace(/\s+/g, ' ');
    const [kind, list, ...rest] = rawType.split(' ');
    const type = (kind ?? '').toLowerCase().replace(/^begin$/, 'begin_' + (list ?? '')).replace(/^end$/, 'end_' + (list ?? ''));
    const name = row.cells.get('name');
    if (!rawType) {
      r.report(where('type'), 'workbook.missing');
      continue;
    }
    if (type === 'begin_group') {
      if (open) r.report(where('type'), 'workbook.nestedGroup', { group: open.code });
      const code = name ?? '';
      if (!/^[A-Z]$/.test(code)) r.report(where('name'), 'workbook.sectionCode', { name: code });
      sections.push({ code, title: r.text('survey', row, 'label', true)!, questions: [] });
      open = { code, row: row.row };
      r.origins.set(`/sections/${sections.length - 1}`, where('name'));
      continue;
    }
    if (type === 'end_group') {
      if (!open) r.report(where('type'), 'workbook.endWithoutBegin');
      open = undefined;
      continue;
    }
    if (type === 'note') {
      if (name !== 'intro' || sections.length) r.report(where('type'), 'workbook.note');
      else intro = r.text('survey', row, 'label', true);
      continue;
    }
    const known = ['select_one', 'select_multiple', 'integer', 'decimal', 'text'];
    if (!known.includes(type)) {
      const named = UNSUPPORTED_TYPES.includes(type) || UNSUPPORTED_TYPES.includes(type.replace(' ', '_'));
      r.report(where('type'), named ? 'workbook.typeUnsupported' : 'workbook.typeUnknown', { type: rawType });
      continue;
    }
    if (!name) {
      r.report(where('name'), 'workbook.missing');
      continue;
    }
    if (!/^[A-Z][0-9]{1,2}(\.[0-9]{1,2})?$/.test(name)) r.report(where('name'), 'workbook.questionCode', { name });
    if (seen.has(name)) r.report(where('name'), 'workbook.questionTwice', { name });
    if (!open) r.report(where('type'), 'workbook.outsideGroup', { name });
    const section = sections.at(-1);
    const text = r.text('survey', row, 'label', true)!;
    const help = r.text('survey', row, 'hint', false);
    const required = row.cells.get('required');
    if (!yes(required) && !isNo(required)) r.report(where('required'), 'workbook.yesNo', { value: required! });
    const dk = row.cells.get('dont_know');
    if (!yes(dk) && !isNo(dk)) r.report(where('dont_know'), 'workbook.yesNo', { value: dk! });
    const question: Question = { code: name, type: 'text', text, ...(help ? { help } : {}), required: yes(required), dontKnow: yes(dk) };
    if ((type === 'select_one' || type === 'select_multiple') && (!list || rest.length)) {
      r.report(where('type'), 'workbook.selectList', { type: rawType });
      continue;
    }
    if (type === 'select_one' && list === SCALE_LISTS.likert5) question.type = 'likert5';
    else if (type === 'select_one' && list === SCALE_LISTS.yesno) question.type = 'yesno';
    else if (type === 'select_one' || type === 'select_multiple') {
      question.type = type === 'select_one' ? 'single' : 'multiple';
      const options = lists.get(list!);
      if (!options) r.report(where('type'), 'workbook.noList', { list: list! });
      else if (list === SCALE_LISTS.dontKnow) r.report(where('type'), 'workbook.dontKnowList');
      question.options = (options ?? []).map((o) => ({ code: o.name, label: o.label }));
      usedLists.add(list!);
    } else if (type === 'integer' || type === 'decimal') {
      question.type = 'number';
      if (type === 'integer') question.integer = true;
      const constraint = row.cells.get('constraint');
      const bounds = constraint ? parseNumberConstraint(constraint) : null;
      if (!bounds) r.report(where('constraint'), constraint ? 'workbook.numberConstraint' : 'workbook.numberBounds', { value: constraint ?? '' });
      Object.assign(question, bounds ?? { min: 0, max: 0 });
      const unit = r.text('survey', row, 'unit', false);
      if (unit) question.unit = unit;
    }
    if (question.type === 'text') {
      const constraint = row.cells.get('constraint');
      const limit = constraint === undefined ? DEFAULT_TEXT_LIMIT : /^\s*string-length\(\s*\.\s*\)\s*<=\s*(\d+)\s*$/.exec(constraint)?.[1];
      if (limit === undefined) r.report(where('constraint'), 'workbook.textConstraint', { value: constraint! });
      question.maxLength = Number(limit ?? DEFAULT_TEXT_LIMIT);
    } else if (question.type !== 'number' && row.cells.has('constraint')) r.report(where('constraint'), 'workbook.constraintHere', { type: rawType });
    if (question.type !== 'number' && row.cells.has(inLang('unit', 'vi'))) r.report(where(inLang('unit', 'vi')), 'workbook.unitHere');
    const relevant = row.cells.get('relevant');
    if (relevant) {
      const rule = parseRelevant(relevant);
      const on = rule && seen.get(rule.question);
      if (!rule) r.report(where('relevant'), 'workbook.relevantSyntax', { value: relevant });
      else if (!on) r.report(where('relevant'), 'workbook.relevantNoQuestion', { code: rule.question });
      else if (rule.selected !== (on.type === 'multiple')) r.report(where('relevant'), rule.selected ? 'workbook.relevantSelected' : 'workbook.relevantEquals', { code: on.code });
      else question.showIf = { question: rule.question, anyOf: rule.anyOf };
    }
    seen.set(name, question);
    if (section) {
      section.questions.push(question);
      const at = `/sections/${sections.length - 1}/questions/${section.questions.length - 1}`;
      r.origins.set(at, where('name'));
      for (const [field, column] of [['text', inLang('label', 'vi')], ['help', inLang('hint', 'vi')], ['showIf', 'relevant'], ['min', 'constraint'], ['max', 'constraint'], ['maxLength', 'constraint'], ['options', 'type'], ['type', 'type'], ['code', 'name']] as const) {
        r.origins.set(`${at}/${field}`, where(column));
      }
    }
  }
  if (open) r.report({ sheet: 'survey', row: open.row, column: 'type' }, 'workbook.groupNotClosed', { group: open.code });
  for (const [list, options] of lists) {
    if (!usedLists.has(list) && !Object.values(SCALE_LISTS).includes(list as never)) r.report({ sheet: 'choices', row: options[0]!.row, column: 'list_name' }, 'workbook.listUnused', { list });
  }
  if (!sections.length) r.report({ sheet: 'survey' }, 'workbook.noQuestions');

  const id = settings?.cells.get('form_id');
  const version = settings?.cells.get('version');
  const title = settings && r.text('settings', settings, 'form_title', true);
  if (!id) r.report({ sheet: 'settings', row: settings?.row ?? 2, column: 'form_id' }, 'workbook.missing');
  else if (!/^[a-z][a-z0-9-]{1,40}$/.test(id)) r.report({ sheet: 'settings', row: settings!.row, column: 'form_id' }, 'workbook.formId', { value: id });
  if (!version) r.report({ sheet: 'settings', row: settings?.row ?? 2, column: 'version' }, 'workbook.missing');
  else if (!/^[0-9]{4}\.[0-9]{1,3}$/.test(version)) r.report({ sheet: 'settings', row: settings!.row, column: 'version' }, 'workbook.version', { value: version });
  if (!id || !version || !title) return undefined;
  return { id, version, title, ...(intro ? { intro } : {}), scales, sections };
}

/** The labels a workbook without its own `likert5`, `yesno` or `dont_know` list gets (those of the shipped forms). */
const DEFAULT_SCALES: Questionnaire['scales'] = {
  likert5: {
    '1': { vi: 'Rất không đồng ý', en: 'Strongly disagree' },
    '2': { vi: 'Không đồng ý', en: 'Disagree' },
    '3': { vi: 'Bình thường', en: 'Neutral' },
    '4': { vi: 'Đồng ý', en: 'Agree' },
    '5': { vi: 'Rất đồng ý', en: 'Strongly agree' },
  },
  yesno: { yes: { vi: 'Có', en: 'Yes' }, no: { vi: 'Không', en: 'No' } },
  dontKnow: { vi: 'Không biết / Không áp dụng', en: 'Don’t know / Not applicable' },
};
/** A free-text question with no `string-length(.)` constraint takes up to this many characters. */
const DEFAULT_TEXT_LIMIT = 2000;

function readMethodology(r: Reader, settings: SheetRow, questionnaire: Questionnaire | undefined): Methodology | undefined {
  const s = (column: string) => settings.cells.get(column);
  const at = (column: string): Origin => ({ sheet: 'settings', row: settings.row, column });
  const num = (column: string) => r.number(at(column), s(column));
  const sheet = (name: string) => {
    const found = r.sheets.get(name);
    if (!found) r.report({ sheet: name }, 'workbook.noSheet', { sheet: name });
    return found ?? { name, columns: [], rows: [] };
  };
  const pillarsSheet = sheet('pillars');
  const blocksSheet = sheet('blocks');
  const tiersSheet = sheet('tiers');
  const indicatorsSheet = sheet('indicators');
  r.refuseUnknown(pillarsSheet, knownColumn(['name', 'label']));
  r.refuseUnknown(blocksSheet, knownColumn(['name', 'label', 'questionnaire', 'tiers', 'weight']));
  r.refuseUnknown(tiersSheet, knownColumn(['block', 'min', 'up_to', 'label']));
  r.refuseUnknown(indicatorsSheet, knownColumn(['name', 'question', 'pillar', 'measure', 'favourable', 'direction', 'lower', 'upper', 'comparable_reason']));
  for (const [key, column] of [['/version', 'methodology_version'], ['/minAnswersPerUnit', 'min_answers_per_unit'], ['/pillarMinIndicatorShare', 'pillar_min_indicator_share'], ['/minStratumRespondents', 'min_stratum_respondents'], ['/normalisation', 'bounds'], ['/normalisation/bounds', 'bounds'], ['/normalisation/pooledYears', 'pooled_years'], ['/normalisation/scale', 'scale_min'], ['/composite', 'composite_scale'], ['/bootstrap', 'bootstrap_replicates'], ['/bootstrap/replicates', 'bootstrap_replicates'], ['/bootstrap/confidence', 'bootstrap_confidence'], ['/shareInterval', 'share_interval']] as const) {
    r.origins.set(key, at(column));
  }

  const pillars = pillarsSheet.rows.map((row, p) => {
    r.origins.set(`/pillars/${p}`, { sheet: 'pillars', row: row.row, column: 'name' });
    const code = row.cells.get('name');
    if (!code) r.report({ sheet: 'pillars', row: row.row, column: 'name' }, 'workbook.missing');
    else if (!/^P[0-9]{1,2}$/.test(code)) r.report({ sheet: 'pillars', row: row.row, column: 'name' }, 'workbook.pillarCode', { name: code });
    return { code: code ?? '', name: r.text('pillars', row, 'label', true)! };
  });
  const weightColumns = blocksSheet.columns.filter((c) => c.startsWith('weight::'));
  for (const column of weightColumns) {
    const code = column.slice('weight::'.length);
    if (!pillars.some((p) => p.code === code)) r.report({ sheet: 'blocks', row: 1, column }, 'workbook.weightNoPillar', { code });
  }
  const blocks = blocksSheet.rows.map((row, b) => {
    const where = (column: string): Origin => ({ sheet: 'blocks', row: row.row, column });
    const code = row.cells.get('name') ?? '';
    if (!code) r.report(where('name'), 'workbook.missing');
    else if (!/^[a-z][a-z0-9-]{1,31}$/.test(code)) r.report(where('name'), 'workbook.blockCode', { name: code });
    r.origins.set(`/blocks/${b}`, where('name'));
    r.origins.set(`/blocks/${b}/questionnaire`, where('questionnaire'));
    r.origins.set(`/blocks/${b}/weights`, where(weightColumns[0] ?? 'weight::'));
    const named = row.cells.get('questionnaire');
    const questionnaireOf = named ?? (questionnaire ? questionnaireKey(questionnaire) : '');
    if (!questionnaireOf) r.report(where('questionnaire'), 'workbook.missing');
    const weights: Record<string, number> = {};
    for (const column of weightColumns) {
      const value = r.number(where(column), row.cells.get(column));
      if (value !== undefined) weights[column.slice('weight::'.length)] = value;
      if (value !== undefined) r.origins.set(`/blocks/${b}/weights/${column.slice('weight::'.length)}`, where(column));
    }
    const scheme = row.cells.get('tiers') ?? '';
    if (scheme !== 'fixed' && scheme !== 'relative') r.report(where('tiers'), 'workbook.tierScheme', { value: scheme });
    const bands = tiersSheet.rows.filter((t) => t.cells.get('block') === code).map((t, k) => {
      r.origins.set(`/blocks/${b}/tiers/bands/${k}`, { sheet: 'tiers', row: t.row, column: scheme === 'relative' ? 'up_to' : 'min' });
      r.origins.set(`/blocks/${b}/tiers/bands/${k}/${scheme === 'relative' ? 'upTo' : 'min'}`, { sheet: 'tiers', row: t.row, column: scheme === 'relative' ? 'up_to' : 'min' });
      const label = r.text('tiers', t, 'label', true)!;
      const column = scheme === 'relative' ? 'up_to' : 'min';
      const other = scheme === 'relative' ? 'min' : 'up_to';
      if (t.cells.has(other)) r.report({ sheet: 'tiers', row: t.row, column: other }, 'workbook.tierColumn', { scheme, column });
      const value = r.number({ sheet: 'tiers', row: t.row, column }, t.cells.get(column));
      if (value === undefined) r.report({ sheet: 'tiers', row: t.row, column }, 'workbook.missing');
      return scheme === 'relative' ? { upTo: value ?? 0, label } : { min: value ?? 0, label };
    });
    r.origins.set(`/blocks/${b}/tiers`, where('tiers'));
    if (bands.length < 2) r.report(where('tiers'), 'workbook.tierBands', { block: code });
    return { code, name: r.text('blocks', row, 'label', true)!, questionnaire: questionnaireOf, weights, tiers: { scheme, bands } as TierScheme };
  });
  for (const t of tiersSheet.rows) {
    if (!blocks.some((b) => b.code === t.cells.get('block'))) r.report({ sheet: 'tiers', row: t.row, column: 'block' }, 'workbook.noBlock', { code: t.cells.get('block') ?? '' });
  }
  const fixedBounds: Record<string, [number, number]> = {};
  const indicators = indicatorsSheet.rows.map((row, i) => {
    const where = (column: string): Origin => ({ sheet: 'indicators', row: row.row, column });
    for (const field of ['code', 'question', 'pillar', 'measure', 'favourable', 'direction']) r.origins.set(`/indicators/${i}/${field}`, where(field === 'code' ? 'name' : field));
    r.origins.set(`/indicators/${i}`, where('name'));
    const c = (column: string) => row.cells.get(column);
    for (const column of ['name', 'question', 'pillar', 'measure', 'direction']) if (!c(column)) r.report(where(column), 'workbook.missing');
    if (c('name') && !/^I-[A-Z][0-9]{1,2}(\.[0-9]{1,2})?$/.test(c('name')!)) r.report(where('name'), 'workbook.indicatorCode', { name: c('name')! });
    if (c('measure') && !['share', 'mean'].includes(c('measure')!)) r.report(where('measure'), 'workbook.oneOf', { value: c('measure')!, allowed: 'share, mean' });
    if (c('direction') && !['higher', 'lower'].includes(c('direction')!)) r.report(where('direction'), 'workbook.oneOf', { value: c('direction')!, allowed: 'higher, lower' });
    const lower = r.number(where('lower'), c('lower'));
    const upper = r.number(where('upper'), c('upper'));
    if ((lower === undefined) !== (upper === undefined)) r.report(where(lower === undefined ? 'lower' : 'upper'), 'workbook.boundsPair');
    if (lower !== undefined && upper !== undefined) {
      fixedBounds[c('name') ?? ''] = [lower, upper];
      r.origins.set(`/normalisation/fixedBounds/${c('name')}`, where('lower'));
    }
    const reason = r.text('indicators', row, 'comparable_reason', false);
    return {
      code: c('name') ?? '',
      question: c('question') ?? '',
      pillar: c('pillar') ?? '',
      measure: c('measure') as 'share' | 'mean',
      ...(c('favourable') ? { favourable: c('favourable')!.split(/[\s,;]+/).filter(Boolean) } : {}),
      direction: c('direction') as 'higher' | 'lower',
      ...(reason ? { comparable: { reason } } : {}),
    };
  });
  const description = { vi: s(inLang('composite_description', 'vi')), en: s(inLang('composite_description', 'en')) };
  const optional = <T>(value: T | undefined, key: string) => (value === undefined ? {} : { [key]: value });
  const version = s('methodology_version') ?? '';
  if (!version) r.report(at('methodology_version'), 'workbook.missing');
  return {
    version,
    minAnswersPerUnit: num('min_answers_per_unit') as number,
    ...optional(num('pillar_min_indicator_share'), 'pillarMinIndicatorShare'),
    ...optional(num('min_stratum_respondents'), 'minStratumRespondents'),
    normalisation: {
      method: (s('normalisation') ?? 'min-max') as 'min-max',
      scale: [num('scale_min') ?? 1, num('scale_max') ?? 10],
      allEqualScore: num('all_equal_score') as number,
      bounds: s('bounds') as Methodology['normalisation']['bounds'],
      ...(Object.keys(fixedBounds).length ? { fixedBounds } : {}),
      ...optional(num('pooled_years'), 'pooledYears'),
    },
    composite: { scale: num('composite_scale') as number, ...(description.vi || description.en ? { description: description as Text } : {}) },
    bootstrap: { replicates: num('bootstrap_replicates') as number, confidence: num('bootstrap_confidence') as number },
    ...optional(s('share_interval'), 'shareInterval'),
    pillars,
    blocks,
    indicators,
  } as Methodology;
}

/** Strips what JSON leaves out (undefined fields), so that a document read equals one written. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * Reads a workbook into a questionnaire, a methodology or both, checked as `ddci schemas check` checks files
 * (against `installed` for the questionnaires a methodology names that the workbook does not hold). Returns
 * documents only when there is no problem at all.
 */
export async function readWorkbook(data: Buffer | Uint8Array, installed: Partial<CheckedDocuments> = {}): Promise<WorkbookDocuments & { problems: WorkbookProblem[] }> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    const r = new Reader(new Map());
    r.report({ sheet: '—' }, 'workbook.notXlsx');
    return { problems: r.problems };
  }
  const sheets = new Map(book.worksheets.map((w) => readSheet(w)).map((s) => [s.name, s]));
  const r = new Reader(sheets);
  const settingsSheet = sheets.get('settings');
  const settings = settingsSheet?.rows[0];
  if (!settings) r.report({ sheet: 'settings' }, 'workbook.noSettings');
  if (settingsSheet && settingsSheet.rows.length > 1) r.report({ sheet: 'settings', row: settingsSheet.rows[1]!.row }, 'workbook.settingsRows');
  const survey = sheets.get('survey');
  const questionnaire = survey ? readQuestionnaire(r, survey, sheets.get('choices'), settings) : undefined;
  if (settingsSheet) {
    const methodColumns = new Set(METHOD_SETTINGS.map((s) => s.column));
    r.refuseUnknown(settingsSheet, (c) => methodColumns.has(c) || knownColumn(['form_id', 'version', 'form_title', 'default_language'])(c));
  }
  const hasIndex = settings?.cells.has('methodology_version') || ['pillars', 'blocks', 'tiers', 'indicators'].some((s) => sheets.has(s));
  const methodology = settings && hasIndex ? readMethodology(r, settings, questionnaire) : undefined;
  if (settings && !survey && !hasIndex) r.report({ sheet: 'survey' }, 'workbook.nothing');
  if (r.problems.length) return { problems: r.problems };

  const documents = { questionnaire: questionnaire && plain(questionnaire), methodology: methodology && plain(methodology) };
  const checked = checkSurveyDocuments(
    { questionnaires: documents.questionnaire ? [{ source: 'survey', data: documents.questionnaire }] : [], methodologies: documents.methodology ? [{ source: 'index', data: documents.methodology }] : [] },
    installed,
  );
  for (const problem of checked.problems) {
    const origin = originOf(r.origins, problem.path) ?? { sheet: problem.file === 'survey' ? 'survey' : 'settings' };
    r.report(origin, problem.message.key, problem.message.params);
  }
  return r.problems.length ? { problems: r.problems } : { ...documents, problems: [] };
}

/** The nearest recorded origin of a JSON pointer (its own, or its closest parent's). */
function originOf(origins: Map<string, Origin>, pointer: string): Origin | undefined {
  for (let p = pointer; p; p = p.slice(0, p.lastIndexOf('/'))) {
    const found = origins.get(p);
    if (found) return found;
  }
  return undefined;
}
