import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../server/cli/index.js';
import { loadCatalog, questionsOf } from '../../server/questionnaires/index.js';
import { readWorkbook, writeWorkbook, type WorkbookProblem } from '../../server/questionnaires/workbook.js';
import { writeSurveySchemas } from '../../server/questionnaires/files.js';
import { provinceSheets, workbookOf, type Sheets } from '../support/province-workbook.js';

const catalog = loadCatalog();
const withoutSchemaHint = (document: object) => {
  const { $schema: _, ...rest } = document as Record<string, unknown>;
  return rest;
};

describe('workbooks in XLSForm’s shape (docs/designer.md §3)', () => {
  test.each([...catalog.questionnaires.keys()])('questionnaire %s: written and read back gives the same document', async (key) => {
    const questionnaire = catalog.questionnaires.get(key)!;
    const back = await readWorkbook(await writeWorkbook({ questionnaire }), catalog);
    expect(back.problems).toEqual([]);
    expect(back.questionnaire).toEqual(withoutSchemaHint(questionnaire));
  });

  test.each([...catalog.methodologies.keys()])('methodology %s: written and read back gives the same document', async (version) => {
    const methodology = catalog.methodologies.get(version)!;
    const back = await readWorkbook(await writeWorkbook({ methodology }), catalog);
    expect(back.problems).toEqual([]);
    expect(back.methodology).toEqual(withoutSchemaHint(methodology));
  });

  test('another province’s hand-written workbook imports, passes `ddci schemas check` and round-trips', async () => {
    const read = await readWorkbook(await workbookOf(provinceSheets()), catalog);
    expect(read.problems).toEqual([]);
    const { questionnaire, methodology } = read;
    expect(questionnaire!.id).toBe('dongthap-so');
    expect(questionsOf(questionnaire!).map((q) => q.code)).toEqual(['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'C1', 'C2', 'D1', 'D2', 'D3']);
    expect(questionsOf(questionnaire!).find((q) => q.code === 'B3')!.showIf).toEqual({ question: 'B2', anyOf: ['yes'] });
    expect(questionsOf(questionnaire!).find((q) => q.code === 'A3')).toMatchObject({ type: 'multiple', help: { vi: 'Chọn tất cả các kênh phù hợp.' } });
    expect(methodology!.pillars.map((p) => p.code)).toEqual(['P1', 'P2', 'P3', 'P4']);
    expect(methodology!.blocks).toEqual([expect.objectContaining({ code: 'so-nganh', questionnaire: 'dongthap-so-2031.1', weights: { P1: 0.3, P2: 0.25, P3: 0.25, P4: 0.2 }, tiers: expect.objectContaining({ scheme: 'relative' }) })]);

    const dir = mkdtempSync(path.join(tmpdir(), 'ddci-province-'));
    writeSurveySchemas(dir, read);
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['schemas', 'check', '--dir', dir], { out: (s) => void out.push(s), err: (s) => void err.push(s), env: {} });
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    expect(out.join('')).toContain('✓ methodology 2031.1: 4 pillars, 8 indicators, blocks so-nganh (dongthap-so-2031.1)');

    const again = await readWorkbook(await writeWorkbook({ questionnaire, methodology }), catalog);
    expect(again).toEqual(read);
  });

  test('language columns in any of XLSForm’s spellings: “label::Vietnamese (vi)”, “label::en”', async () => {
    const sheets = provinceSheets();
    for (const rows of Object.values(sheets) as (string | number | null)[][][]) {
      rows[0] = rows[0]!.map((h) => (typeof h === 'string' ? h.replace('::Tiếng Việt (vi)', '::Vietnamese (vi)').replace('::English (en)', '::en') : h));
    }
    const read = await readWorkbook(await workbookOf(sheets), catalog);
    expect(read.problems).toEqual([]);
    expect(read).toEqual(await readWorkbook(await workbookOf(provinceSheets()), catalog));
  });

  test('every problem of a workbook at once, each with its sheet, row and column; nothing returned', async () => {
    const sheets = provinceSheets();
    sheets.survey[3]![0] = 'geopoint';
    sheets.survey[10]![7] = '${B9} = \'yes\'';
    sheets.settings[1]![1] = '2031';
    const read = await readWorkbook(await workbookOf(sheets), catalog);
    expect(read.questionnaire).toBeUndefined();
    expect(read.methodology).toBeUndefined();
    const problems = read.problems.map((p) => p.problem);
    expect(problems).toContain('survey, row 4, type: geopoint is not a question type this platform answers (supported: select_one, select_multiple, integer, decimal, text)');
    expect(problems).toContain('survey, row 11, relevant: no question B9 before this one');
    expect(problems).toContain('settings, row 2, version: version “2031” must look like 2027.1 (typed as text in Excel)');
  });

  /** One broken cell (or sheet) each: what the reader says, and where. */
  const cases: [string, (s: Sheets) => void, Partial<WorkbookProblem> & { says: RegExp }][] = [
    ['an unsupported type', (s) => (s.survey[4]![0] = 'date'), { sheet: 'survey', row: 5, column: 'type', says: /date is not a question type/ }],
    ['a type XLSForm does not have', (s) => (s.survey[4]![0] = 'selectone yesno'), { sheet: 'survey', row: 5, column: 'type', says: /not an XLSForm question type/ }],
    ['a repeat', (s) => (s.survey[2]![0] = 'begin_repeat'), { sheet: 'survey', row: 3, column: 'type', says: /begin_repeat is not a question type/ }],
    ['a rule on a later question', (s) => (s.survey[3]![7] = "${D1} = '5'"), { sheet: 'survey', row: 4, column: 'relevant', says: /no question D1 before this one/ }],
    ['a rule the platform cannot evaluate', (s) => (s.survey[10]![7] = '${B1} > 10'), { sheet: 'survey', row: 11, column: 'relevant', says: /only conditions such as/ }],
    ['selected() on a one-answer question', (s) => (s.survey[10]![7] = "selected(${B2}, 'yes')"), { sheet: 'survey', row: 11, column: 'relevant', says: /B2 takes one answer/ }],
    ['a rule value that is not an answer', (s) => (s.survey[10]![7] = "${B2} = 'maybe'"), { sheet: 'survey', row: 11, column: 'relevant', says: /maybe is not an answer of B2/ }],
    ['a choice list that does not exist', (s) => (s.survey[5]![0] = 'select_multiple channels'), { sheet: 'survey', row: 6, column: 'type', says: /no choice list channels/ }],
    ['a number without bounds', (s) => (s.survey[8]![8] = null), { sheet: 'survey', row: 9, column: 'constraint', says: /needs bounds/ }],
    ['a number constraint the platform cannot hold', (s) => (s.survey[8]![8] = '. > 0'), { sheet: 'survey', row: 9, column: 'constraint', says: /only bounds such as/ }],
    ['a text constraint other than its length', (s) => (s.survey[19]![8] = "regex(., '^[0-9]+$')"), { sheet: 'survey', row: 20, column: 'constraint', says: /only a limit such as/ }],
    ['a constraint on a choice', (s) => (s.survey[3]![8] = '. != 3'), { sheet: 'survey', row: 4, column: 'constraint', says: /takes no constraint/ }],
    ['required neither yes nor no', (s) => (s.survey[3]![6] = 'maybe'), { sheet: 'survey', row: 4, column: 'required', says: /must be yes or no/ }],
    ['a question code of the wrong shape', (s) => (s.survey[3]![1] = 'a1'), { sheet: 'survey', row: 4, column: 'name', says: /must look like A1/ }],
    ['a question code used twice', (s) => (s.survey[4]![1] = 'A1'), { sheet: 'survey', row: 5, column: 'name', says: /A1 is used twice/ }],
    ['an English label missing', (s) => (s.survey[3]![3] = null), { sheet: 'survey', row: 4, column: 'label::English (en)', says: /needs a text in this language/ }],
    ['a question outside any group', (s) => s.survey.splice(2, 0, ['select_one yesno', 'Z1', 'Câu lạc', 'Stray', null, null, 'yes', null, null, null, null, null]), { sheet: 'survey', row: 3, column: 'type', says: /outside any group/ }],
    ['a group never closed', (s) => s.survey.pop(), { sheet: 'survey', row: 17, column: 'type', says: /group D has no end_group/ }],
    ['a column the platform cannot honour', (s) => { s.survey[0]!.push('appearance'); s.survey[3]!.push('minimal'); }, { sheet: 'survey', row: 4, column: 'appearance', says: /column appearance is not supported/ }],
    ['a choice given twice in its list', (s) => (s.choices[2]![1] = 'web'), { sheet: 'choices', row: 3, column: 'name', says: /choice web appears twice in list kenh/ }],
    ['a choice list no question uses', (s) => s.choices.push(['unused', 'x', 'X', 'X']), { sheet: 'choices', row: 8, column: 'list_name', says: /list unused is used by no question/ }],
    ['a form id with spaces', (s) => (s.settings[1]![0] = 'Dong Thap'), { sheet: 'settings', row: 2, column: 'form_id', says: /form_id “Dong Thap”/ }],
    ['weights not summing to 1', (s) => (s.blocks[1]![5] = 0.5), { sheet: 'blocks', row: 2, says: /weights sum to 1.2, not 1/ }],
    ['a weight for a pillar that does not exist', (s) => { s.blocks[0]!.push('weight::XX'); s.blocks[1]!.push(0); }, { sheet: 'blocks', row: 1, column: 'weight::XX', says: /pillar XX, which the pillars sheet does not have/ }],
    ['an indicator on a question that does not exist', (s) => (s.indicators[1]![1] = 'A9'), { sheet: 'indicators', row: 2, column: 'question', says: /A9 is not a question of dongthap-so-2031.1/ }],
    ['a favourable answer that is not an answer', (s) => (s.indicators[1]![4] = '4 6'), { sheet: 'indicators', row: 2, column: 'favourable', says: /6 is not an answer of A1/ }],
    ['a share of a free-text question', (s) => s.indicators.push(['I-D3', 'D3', 'P4', 'share', 'x', 'higher', 0, 1]), { sheet: 'indicators', row: 10, column: 'measure', says: /a share needs a choice question, D3 is text/ }],
    ['a mean of a choice question', (s) => (s.indicators[3]![1] = 'A1'), { sheet: 'indicators', row: 4, column: 'measure', says: /a mean needs a number question, A1 is likert5/ }],
    ['one bound without the other', (s) => (s.indicators[1]![7] = null), { sheet: 'indicators', row: 2, column: 'upper', says: /both the lower and the upper bound/ }],
    ['a tier scheme that does not exist', (s) => (s.blocks[1]![4] = 'rank'), { sheet: 'blocks', row: 2, column: 'tiers', says: /must be fixed or relative/ }],
    ['relative tiers not reaching 1', (s) => (s.tiers[3]![2] = 0.9), { sheet: 'tiers', row: 4, column: 'up_to', says: /the last band must reach 1/ }],
    ['a tier for a block that does not exist', (s) => s.tiers.push(['xa-phuong', null, 1, 'Tốt', 'Good']), { sheet: 'tiers', row: 5, column: 'block', says: /no block xa-phuong/ }],
    ['the pillars sheet missing', (s) => delete (s as Partial<Sheets>).pillars, { sheet: 'pillars', says: /sheet pillars is missing/ }],
    ['a pillar code of the wrong shape', (s) => { s.pillars[1]![0] = 'MB'; s.blocks[0]![5] = 'weight::MB'; s.indicators[1]![2] = 'MB'; s.indicators[2]![2] = 'MB'; }, { sheet: 'pillars', row: 2, column: 'name', says: /pillar code “MB” must look like P1/ }],
    ['a block code with capitals', (s) => { s.blocks[1]![0] = 'SoNganh'; for (const row of s.tiers.slice(1)) row[0] = 'SoNganh'; }, { sheet: 'blocks', row: 2, column: 'name', says: /block code “SoNganh”/ }],
    ['an indicator code of the wrong shape', (s) => (s.indicators[1]![0] = 'A1'), { sheet: 'indicators', row: 2, column: 'name', says: /indicator code “A1” must look like I-A1/ }],
    ['a measure that does not exist', (s) => (s.indicators[1]![3] = 'percent'), { sheet: 'indicators', row: 2, column: 'measure', says: /“percent” must be one of: share, mean/ }],
    ['a bounds rule that does not exist', (s) => (s.settings[1]![9] = 'yearly'), { sheet: 'settings', row: 2, column: 'bounds', says: /yearly|must be equal to one of the allowed values/ }],
  ];

  test.each(cases)('%s', async (_name, breakIt, expected) => {
    const sheets = provinceSheets();
    breakIt(sheets);
    const read = await readWorkbook(await workbookOf(sheets), catalog);
    expect(read.questionnaire).toBeUndefined();
    const { says, ...where } = expected;
    expect(read.problems).toContainEqual(expect.objectContaining({ ...where, problem: expect.stringMatching(says) }));
  });

  test('the command line: import into a survey-schemas folder, refuse a bad workbook naming each problem, export what is installed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ddci-cli-workbook-'));
    const io = () => {
      const out: string[] = [];
      const err: string[] = [];
      return { out, err, io: { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s), env: { DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'silent', SEED_DEMO: 'false' } } };
    };
    const good = path.join(dir, 'dong-thap.xlsx');
    writeFileSync(good, await workbookOf(provinceSheets()));
    const imported = io();
    expect(await runCli(['questionnaires', 'import', '--xlsx', good, '--out', path.join(dir, 'schemas')], imported.io)).toBe(0);
    expect(imported.out.join('')).toBe('✓ questionnaires/dongthap-so-2031.1.json\n✓ methodology-2031.1.json\n');
    const broken = provinceSheets();
    broken.survey[3]![0] = 'geopoint';
    broken.blocks[1]![5] = 0.5;
    const bad = path.join(dir, 'bad.xlsx');
    writeFileSync(bad, await workbookOf(broken));
    const refused = io();
    expect(await runCli(['questionnaires', 'import', '--xlsx', bad, '--out', path.join(dir, 'other')], refused.io)).toBe(1);
    expect(refused.err.join('')).toContain('survey, row 4, type: geopoint is not a question type this platform answers');
    expect(existsSync(path.join(dir, 'other'))).toBe(false);
    const exported = io();
    const file = path.join(dir, 'department.xlsx');
    expect(await runCli(['questionnaires', 'export', '--id', 'department', '--version', '2026.1', '--xlsx', file], exported.io)).toBe(0);
    expect((await readWorkbook(readFileSync(file), catalog)).questionnaire).toEqual(withoutSchemaHint(catalog.questionnaires.get('department-2026.1')!));
  }, 60_000);

  test('a file that is not a workbook', async () => {
    const read = await readWorkbook(Buffer.from('type,name\nselect_one yesno,A1\n'), catalog);
    expect(read.problems.map((p) => p.problem)).toEqual(['—: the file is not a readable Excel workbook (.xlsx)']);
  });
});
