import type { Lang } from '../../i18n/index.js';
import { DONT_KNOW, type Methodology } from '../../questionnaires/index.js';
import type { Microdata } from '../../scoring/index.js';
import { microdataRows, type Codebook, type CodebookVariable } from '../../publication/codebook.js';

/**
 * The microdata as a labelled table, the shape SPSS and Stata files share: numeric coded answers with value
 * labels, "don't know / not applicable" kept apart from plain missing (each format stores it as its own
 * labelled missing value), variable labels in one language. Pure.
 */
export const DONT_KNOW_CELL = Symbol('dont-know');
export type LabelledCell = number | string | null | typeof DONT_KNOW_CELL;

export interface LabelledVariable {
  name: string;
  label: string;
  kind: 'numeric' | 'string';
  measure: 'nominal' | 'ordinal' | 'scale';
  valueLabels?: { value: number; label: string }[];
  /** The label of "don't know / not applicable" where the question offers it. */
  dontKnow?: string;
}

export interface LabelledTable {
  label: string;
  variables: LabelledVariable[];
  rows: LabelledCell[][];
}

/** Numbers for coded answers: integer codes keep their value, yes/no are 1/0, other codes count from 1. Design columns stay text. */
function numericCodes(variable: CodebookVariable): Map<string, number> | null {
  const codes = Object.keys(variable.valueLabels ?? {});
  if (variable.role !== 'answer' || !codes.length || variable.questionType === 'multiple') return null;
  if (variable.questionType === 'yesno') return new Map([['yes', 1], ['no', 0]]);
  if (codes.every((c) => /^-?\d+$/.test(c))) return new Map(codes.map((c) => [c, Number(c)]));
  return new Map(codes.map((c, i) => [c, i + 1]));
}

const measureOf = (v: CodebookVariable): LabelledVariable['measure'] =>
  v.questionType === 'likert5' ? 'ordinal' : v.type === 'string' || v.questionType === 'yesno' || v.questionType === 'single' ? 'nominal' : 'scale';

/** A multiple-choice answer as one 0/1 variable per option (“1;3” → A_1 = 1, A_2 = 0, A_3 = 1), as analysts tabulate it. */
function optionColumns(variable: CodebookVariable, lang: Lang): { labelled: LabelledVariable; cell: (value: string | number | null) => LabelledCell }[] {
  const chosen = lang === 'en' ? ['Not chosen', 'Chosen'] : ['Không chọn', 'Có chọn'];
  const dontKnow = variable.missing?.[DONT_KNOW]?.[lang];
  return Object.entries(variable.valueLabels ?? {}).map(([code, label]) => ({
    labelled: {
      name: `${variable.name}_${code}`.replace(/[^A-Za-z0-9_]/g, '_'),
      label: `${variable.label[lang]} — ${label[lang]}`,
      kind: 'numeric',
      measure: 'nominal',
      valueLabels: chosen.map((text, value) => ({ value, label: text })),
      ...(dontKnow ? { dontKnow } : {}),
    },
    cell: (value) => (value === null ? null : value === DONT_KNOW && dontKnow ? DONT_KNOW_CELL : String(value).split(';').includes(code) ? 1 : 0),
  }));
}

export function labelledMicrodata(microdata: Microdata, book: Codebook, methodology: Methodology, lang: Lang): LabelledTable {
  const columns = book.variables.flatMap((variable) => {
    if (variable.questionType === 'multiple' && variable.valueLabels) return optionColumns(variable, lang).map((c) => ({ ...c, source: variable }));
    const codes = numericCodes(variable);
    const dontKnow = variable.missing?.[DONT_KNOW]?.[lang];
    const numeric = codes !== null || variable.type !== 'string';
    const labelled: LabelledVariable = {
      name: variable.name,
      label: variable.label[lang],
      kind: numeric ? 'numeric' : 'string',
      measure: measureOf(variable),
      ...(codes ? { valueLabels: [...codes].map(([code, value]) => ({ value, label: variable.valueLabels![code]![lang] })) } : {}),
      ...(numeric && dontKnow ? { dontKnow } : {}),
    };
    const cell = (value: string | number | null): LabelledCell => {
      if (value === null) return null;
      if (value === DONT_KNOW && labelled.dontKnow) return DONT_KNOW_CELL;
      if (codes) {
        const code = codes.get(String(value));
        if (code === undefined) throw new Error(`${variable.name}: answer code ${String(value)} has no label`);
        return code;
      }
      return numeric ? Number(value) : String(value);
    };
    return [{ labelled, cell, source: variable }];
  });
  const index = new Map(book.variables.map((v, i) => [v, i]));
  const title = `DDCI ${microdata.campaign.year} — ${microdata.campaign.province}`;
  return {
    label: title,
    variables: columns.map((c) => c.labelled),
    rows: microdataRows(microdata, book, methodology).map((row) => columns.map((c) => c.cell(row[index.get(c.source)!]!))),
  };
}
