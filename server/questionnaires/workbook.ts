/**
 * Questionnaires and methodologies as a workbook in XLSForm's shape (docs/designer.md §3): sheets `survey`,
 * `choices` and `settings` as XLSForm defines them, plus `pillars`, `blocks`, `tiers` and `indicators` for
 * the index. Writing and reading are exact inverses for every document the meta-schemas accept; reading
 * reports every problem at once with its sheet, row and column, and supports only the part of XLSForm the
 * platform can answer — anything else is refused by name, never dropped.
 */
export { readWorkbook } from './workbook-read.js';
export { writeWorkbook } from './workbook-write.js';
export type { WorkbookDocuments, WorkbookProblem } from './workbook-columns.js';
