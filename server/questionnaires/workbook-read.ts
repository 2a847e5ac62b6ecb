import ExcelJS from 'exceljs';
import { checkSurveyDocuments, type CheckedDocuments } from './catalog.js';
import { METHOD_SETTINGS, type WorkbookDocuments, type WorkbookProblem } from './workbook-columns.js';
import { readMethodology } from './workbook-read-index.js';
import { readQuestionnaire } from './workbook-read-survey.js';
import { knownColumn, readSheet, Reader, type Origin } from './workbook-sheets.js';

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

