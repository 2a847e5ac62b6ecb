import { DONT_KNOW, type Question, type Questionnaire, type Text } from './types.js';
import { inLang, SCALE_LISTS } from './workbook-columns.js';
import { isNo, knownColumn, yes, type Origin, type Reader, type Sheet, type SheetRow } from './workbook-sheets.js';

/** The `survey`, `choices` and `settings` sheets as a questionnaire (docs/designer.md §3). */

/** XLSForm types the platform cannot answer, named so that a workbook using one is refused clearly. */
const UNSUPPORTED_TYPES = [
  'range', 'rank', 'geopoint', 'geotrace', 'geoshape', 'date', 'time', 'datetime', 'image', 'audio', 'background-audio', 'video',
  'file', 'barcode', 'calculate', 'acknowledge', 'hidden', 'xml-external', 'csv-external', 'begin_repeat', 'end_repeat',
  'select_one_from_file', 'select_multiple_from_file', 'start', 'end', 'today', 'deviceid', 'phonenumber', 'username',
  'email', 'audit', 'start-geopoint', 'trigger', 'integer_range',
];

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

export function readQuestionnaire(r: Reader, survey: Sheet, choicesSheet: Sheet | undefined, settings: SheetRow | undefined): Questionnaire | undefined {
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

