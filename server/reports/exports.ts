import ExcelJS from 'exceljs';
import { codeList } from './model.js';
import { csvFile } from '../csv.js';
import type { Lang } from '../i18n/index.js';
import { microdataRows, type Codebook } from '../publication/codebook.js';
import type { Methodology } from '../questionnaires/index.js';
import type { Microdata } from '../scoring/index.js';
import type { ResultsDocument } from '../publication/results.js';
import type { UnitScore } from '../scoring/index.js';

/**
 * The published figures as files analysts open: rankings with pillar scores, and indicators, as CSV (UTF-8
 * with BOM, formula-safe) and one XLSX workbook (a sheet per block, the indicators, the methodology). A unit
 * under the minimum keeps its row and reason with every figure left empty (docs/design.md §6).
 */
type Results = Pick<ResultsDocument, 'units' | 'result'>;

const hidden = (u: UnitScore) => u.flag === 'below-minimum';
const figure = (u: UnitScore, x: number | null | undefined) => (hidden(u) || x === null || x === undefined ? null : x);
/** The precision figures are published at in the CSV files: 2 decimals; a share (0–1) 4, i.e. 2 of its percentage. */
const rounded = (x: number | null, digits = 2) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

function rankingRows(results: Results, methodology: Methodology) {
  const names = new Map(results.units.map((u) => [u.code, u]));
  const changes = new Map((results.result.changes ?? []).map((c) => [c.unit, c]));
  const header = ['block', 'unit', 'name_vi', 'name_en', 'rank', 'ddci', 'ddci_ci_low', 'ddci_ci_high', 'rank_low', 'rank_high', 'tier', 'respondents', 'not_ranked', ...methodology.pillars.map((p) => p.code), 'change', 'change_ci_low', 'change_ci_high', 'previous_rank'];
  const rows = methodology.blocks.flatMap((block) =>
    results.result.units
      .filter((u) => u.block === block.code)
      .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.unit.localeCompare(b.unit))
      .map((u) => {
        const c = hidden(u) ? undefined : changes.get(u.unit)?.composite;
        return [
          block.code,
          u.unit,
          names.get(u.unit)?.nameVi ?? '',
          names.get(u.unit)?.nameEn ?? '',
          u.rank,
          figure(u, u.composite),
          figure(u, u.compositeCi?.[0]),
          figure(u, u.compositeCi?.[1]),
          u.rankRange?.[0] ?? null,
          u.rankRange?.[1] ?? null,
          u.tier === null ? '' : (block.tiers.bands[u.tier]?.label.vi ?? ''),
          u.respondents,
          u.flag ?? '',
          ...methodology.pillars.map((p) => figure(u, u.pillars.find((x) => x.code === p.code)?.score)),
          c?.change ?? null,
          c?.ci[0] ?? null,
          c?.ci[1] ?? null,
          changes.get(u.unit)?.rank?.previous ?? null,
        ];
      }),
  );
  return { header, rows };
}

function indicatorRows(results: Results, methodology: Methodology) {
  const measures = new Map(methodology.indicators.map((i) => [i.code, i.measure]));
  const header = ['block', 'unit', 'indicator', 'measure', 'value', 'se', 'ci_low', 'ci_high', 'bootstrap_se', 'valid', 'score'];
  const rows = results.result.units.flatMap((u) =>
    u.indicators.map((i) => [u.block, u.unit, i.code, measures.get(i.code) === 'share' ? 'share (0–1)' : 'mean', figure(u, i.value), figure(u, i.se), figure(u, i.ci?.[0]), figure(u, i.ci?.[1]), figure(u, i.bootstrapSe), hidden(u) ? null : i.valid, figure(u, i.score)]),
  );
  return { header, rows };
}

/** Columns holding figures, by header name (the others are codes, names, counts and ranks). */
const RANKING_FIGURES = (methodology: Methodology) => new Set(['ddci', 'ddci_ci_low', 'ddci_ci_high', ...methodology.pillars.map((p) => p.code), 'change', 'change_ci_low', 'change_ci_high']);
const INDICATOR_FIGURES = new Set(['value', 'se', 'ci_low', 'ci_high', 'bootstrap_se', 'score']);

/** The rankings as CSV, figures rounded as published (full precision: results.json and the microdata). */
export const rankingsCsv = (results: Results, methodology: Methodology, dialect: 'standard' | 'vi' = 'standard') => {
  const { header, rows } = rankingRows(results, methodology);
  const figures = RANKING_FIGURES(methodology);
  return csvFile([header, ...rows.map((row) => row.map((cell, k) => (figures.has(header[k]!) && typeof cell === 'number' ? rounded(cell) : cell)))], dialect);
};

/** The indicators as CSV: shares as proportions to 4 decimals (said in the measure column), means and scores to 2. */
export const indicatorsCsv = (results: Results, methodology: Methodology, dialect: 'standard' | 'vi' = 'standard') => {
  const { header, rows } = indicatorRows(results, methodology);
  return csvFile(
    [header, ...rows.map((row) => row.map((cell, k) => (INDICATOR_FIGURES.has(header[k]!) && typeof cell === 'number' ? rounded(cell, header[k] !== 'score' && row[3] !== 'mean' ? 4 : 2) : cell)))],
    dialect,
  );
};

/** The workbook: a ranking sheet per block, all indicators, and the methodology (pillars, weights, indicators). */
export async function resultsXlsx(results: Results, methodology: Methodology): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'DDCI';
  const ranking = rankingRows(results, methodology);
  for (const block of methodology.blocks) {
    const rows = ranking.rows.filter((r) => r[0] === block.code);
    if (!rows.length) continue;
    const sheet = book.addWorksheet(block.code.slice(0, 31));
    sheet.addRow([block.name.vi, block.name.en]);
    sheet.addRow(ranking.header);
    for (const row of rows) sheet.addRow(row);
    sheet.getRow(2).font = { bold: true };
    sheet.views = [{ state: 'frozen', ySplit: 2, xSplit: 2 }];
    // Figures shown to 2 decimals, in the reader's own separator; the cell keeps the full value.
    const figures = RANKING_FIGURES(methodology);
    ranking.header.forEach((name, k) => {
      const column = sheet.getColumn(k + 1);
      column.width = name.startsWith('name_') ? 40 : Math.max(8, name.length + 2);
      if (figures.has(name)) column.numFmt = '0.00';
    });
  }
  const indicators = indicatorRows(results, methodology);
  const sheet = book.addWorksheet('indicators');
  sheet.addRow(indicators.header);
  for (const row of indicators.rows) {
    const added = sheet.addRow(row);
    // A share shows as a percentage (58,3 %), a mean and a score to 2 decimals.
    indicators.header.forEach((name, k) => {
      if (INDICATOR_FIGURES.has(name)) added.getCell(k + 1).numFmt = name !== 'score' && row[3] !== 'mean' ? '0.0%' : '0.00';
    });
  }
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1, xSplit: 3 }];
  indicators.header.forEach((name, k) => (sheet.getColumn(k + 1).width = Math.max(10, name.length + 2)));
  const method = book.addWorksheet('methodology');
  method.addRow(['pillar', 'name_vi', 'name_en', ...methodology.blocks.map((b) => `weight_${b.code}`)]);
  for (const p of methodology.pillars) method.addRow([p.code, p.name.vi, p.name.en, ...methodology.blocks.map((b) => b.weights[p.code] ?? 0)]);
  method.addRow([]);
  method.addRow(['indicator', 'question', 'pillar', 'measure', 'favourable', 'direction']);
  for (const i of methodology.indicators) method.addRow([i.code, i.question, i.pillar, i.measure, (i.favourable ?? []).join(' '), i.direction]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The microdata workbook: the data (one row per response), the codebook, and the R script that reproduces the estimates. */
export async function microdataXlsx(microdata: Microdata, book: Codebook, methodology: Methodology, lang: Lang): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'DDCI';
  const data = workbook.addWorksheet('microdata');
  data.addRow(book.variables.map((v) => v.name));
  for (const row of microdataRows(microdata, book, methodology)) data.addRow(row);
  data.getRow(1).font = { bold: true };
  data.views = [{ state: 'frozen', ySplit: 1, xSplit: 1 }];
  const sheet = workbook.addWorksheet('codebook');
  sheet.addRow(['variable', 'role', 'type', 'label_vi', 'label_en', 'value_labels', 'missing', 'derivation']);
  for (const v of book.variables) sheet.addRow([v.name, v.role, v.type, v.label.vi, v.label.en, codeList(v.valueLabels, lang), codeList(v.missing, lang), v.derivation?.[lang] ?? '']);
  sheet.getRow(1).font = { bold: true };
  const r = workbook.addWorksheet('R');
  for (const line of book.r.script.split('\n')) r.addRow([line]);
  r.addRow([]);
  for (const rule of book.rules) r.addRow([rule[lang]]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
