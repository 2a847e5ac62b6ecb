import ExcelJS from 'exceljs';
import { DONT_KNOW, type Question, type Text } from './types.js';
import { inLang, LANGUAGE, METHOD_SETTINGS, SCALE_LISTS, textColumns, type WorkbookDocuments } from './workbook-columns.js';

const SURVEY_COLUMNS = ['type', 'name', ...textColumns('label'), ...textColumns('hint'), 'required', 'relevant', 'constraint', 'dont_know', ...textColumns('unit')];
const CHOICE_COLUMNS = ['list_name', 'name', ...textColumns('label')];


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

