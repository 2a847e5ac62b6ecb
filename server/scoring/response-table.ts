import { canonicalJson, type ResponsesByUnit, type UnweightedResponse } from './microdata.js';
import { stratumKey } from './strata.js';

/** Small non-negative integers in a typed array that widens (8 → 16 → 32 bits) and grows as they come. */
class CodeColumn {
  private data: Uint8Array | Uint16Array | Uint32Array;
  length: number;

  constructor(length = 0) {
    this.data = new Uint8Array(Math.max(1024, length * 2));
    this.length = length;
  }

  push(code: number): void {
    const limit = this.data instanceof Uint8Array ? 0xff : this.data instanceof Uint16Array ? 0xffff : 0xffffffff;
    if (this.length === this.data.length || code > limit) {
      const wide = code > limit ? (limit === 0xff ? Uint16Array : Uint32Array) : (this.data.constructor as Uint8ArrayConstructor);
      const grown = new wide(this.length === this.data.length ? this.data.length * 2 : this.data.length);
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    this.data[this.length++] = code;
  }

  at(i: number): number {
    return this.data[i]!;
  }
}

/** Distinct values, each given a code from 1 (0 stands for none); primitives by value, lists by their canonical JSON. */
class Dictionary<T> {
  readonly values: T[] = [];
  /** Each value's canonical JSON (keys sorted, for the order), by code − 1. */
  readonly json: string[] = [];
  /** Each value as JSON.stringify writes it (for the records), by code − 1: the same but for an object's key order. */
  readonly text: string[] = [];
  private readonly primitives = new Map<unknown, number>();
  private readonly composites = new Map<string, number>();

  code(value: T): number {
    const composite = typeof value === 'object' && value !== null;
    const key = composite ? canonicalJson(value) : value;
    const index = composite ? this.composites : this.primitives;
    let code = (index as Map<unknown, number>).get(key);
    if (code === undefined) {
      code = this.values.push(value);
      const text = JSON.stringify(value);
      this.json.push(composite ? (key as string) : text);
      this.text.push(text);
      (index as Map<unknown, number>).set(key, code);
    }
    return code;
  }
}

/** One questionnaire's answers: per question, a column of answer codes over its responses. */
interface AnswerColumns {
  rows: number;
  /** Per question its codes, its distinct answers, and its label in canonical JSON (`"A1":`). */
  questions: Map<string, { column: CodeColumn; answers: Dictionary<unknown>; label: string }>;
  /** The questions in code order, as the answers are given back (canonical, whatever order they came in). */
  sorted?: string[];
}

/**
 * Every opened response, held in columns while unsealing gathers them (docs/design.md §7, Scale): per
 * questionnaire and question one small integer per response, standing for one of the distinct answers given
 * (0: not answered). A million responses of ~40 questions take ~40 MB, where a JavaScript object each takes
 * 0.3–1.3 KB. The responses come back one unit at a time, in the published order: as objects (to score), or
 * as JSON records written from each distinct answer's JSON (to seal). Pure.
 */
export class ResponseTable implements ResponsesByUnit {
  private readonly names = { unit: new Dictionary<string>(), stratum: new Dictionary<string>(), questionnaire: new Dictionary<string>(), mode: new Dictionary<string>() };
  private readonly rows = { unit: new CodeColumn(), stratum: new CodeColumn(), questionnaire: new CodeColumn(), mode: new CodeColumn(), local: new CodeColumn() };
  private readonly forms: AnswerColumns[] = [];
  /** Per unit, its rows in the published order, once sorted (with the strata `orderedBy` gives). */
  private readonly order = new Map<string, Uint32Array>();
  private orderedBy?: (unit: string, stratum: string) => string;

  get size(): number {
    return this.rows.unit.length;
  }

  add({ unit, stratum, questionnaire, mode, answers }: UnweightedResponse): void {
    const formCode = this.names.questionnaire.code(questionnaire);
    const form = (this.forms[formCode] ??= { rows: 0, questions: new Map() });
    for (const question of Object.keys(answers)) {
      if (form.questions.has(question)) continue;
      form.questions.set(question, { column: new CodeColumn(form.rows), answers: new Dictionary(), label: `${JSON.stringify(question)}:` });
      form.sorted = undefined;
    }
    for (const [question, { column, answers: dictionary }] of form.questions) {
      const answer = answers[question];
      column.push(answer === undefined ? 0 : dictionary.code(answer));
    }
    this.rows.unit.push(this.names.unit.code(unit));
    this.rows.stratum.push(this.names.stratum.code(stratum));
    this.rows.questionnaire.push(formCode);
    this.rows.mode.push(this.names.mode.code(mode));
    this.rows.local.push(form.rows++);
    this.order.clear();
  }

  /** Gives every response the stratum `stratumOf` names (the strata the campaign is scored with). */
  restratify(stratumOf: (unit: string, stratum: string) => string): void {
    const strata = new CodeColumn();
    for (let row = 0; row < this.size; row++) strata.push(this.names.stratum.code(stratumOf(this.name('unit', row), this.name('stratum', row))));
    this.rows.stratum = strata;
    this.order.clear();
  }

  /** Respondents per unit × stratum (stratumKey). */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (let row = 0; row < this.size; row++) {
      const key = stratumKey(this.name('unit', row), this.name('stratum', row));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  /** A unit's responses, each with the stratum `stratumOf` gives it, in the published order (`sortResponses`). */
  ofUnit(unit: string, stratumOf: (unit: string, stratum: string) => string): UnweightedResponse[] {
    return Array.from(this.rowsOf(unit, stratumOf), (row) => this.response(row, stratumOf));
  }

  /**
   * `ofUnit` as microdata records in JSON, joined by commas, without making the objects: each is `head`
   * (the record's JSON up to its questionnaire, given its stratum) followed by the rest as JSON.stringify
   * writes a record (microdataByUnit's).
   */
  recordsJson(unit: string, stratumOf: (unit: string, stratum: string) => string, head: (stratum: string) => string): string {
    return Array.from(this.rowsOf(unit, stratumOf), (row) => {
      const stratum = stratumOf(unit, this.name('stratum', row));
      return `${head(stratum)}"questionnaire":${JSON.stringify(this.name('questionnaire', row))},"mode":${JSON.stringify(this.name('mode', row))},"answers":${this.answersJson(row, 'text')}}`;
    }).join(',');
  }

  /** A unit's rows in the published order, sorted when first asked (by the key `sortResponses` gives their objects). */
  private rowsOf(unit: string, stratumOf: (unit: string, stratum: string) => string): Uint32Array {
    if (this.orderedBy !== stratumOf) {
      this.order.clear();
      this.orderedBy = stratumOf;
    }
    let rows = this.order.get(unit);
    if (!rows) {
      const code = this.names.unit.values.indexOf(unit) + 1;
      const keyed: { row: number; key: string }[] = [];
      for (let row = 0; row < this.size; row++) if (this.rows.unit.at(row) === code) keyed.push({ row, key: this.orderKey(row, stratumOf) });
      keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      this.order.set(unit, (rows = Uint32Array.from(keyed, (k) => k.row)));
    }
    return rows;
  }

  /** `orderKey` of the response `row` stands for (microdata.ts): unit, stratum, canonical answers, mode, questionnaire. */
  private orderKey(row: number, stratumOf: (unit: string, stratum: string) => string): string {
    const unit = this.name('unit', row);
    return `${unit}\u0000${stratumOf(unit, this.name('stratum', row))}\u0000${this.answersJson(row, 'json')}\u0000${this.name('mode', row)}\u0000${this.name('questionnaire', row)}`;
  }

  /** The row's answers object in JSON, keys in order, from each distinct answer's JSON kept in the dictionaries. */
  private answersJson(row: number, form: 'json' | 'text'): string {
    const columns = this.forms[this.rows.questionnaire.at(row)]!;
    const local = this.rows.local.at(row);
    const answers: string[] = [];
    for (const question of this.sortedQuestions(columns)) {
      const { column, answers: dictionary, label } = columns.questions.get(question)!;
      const code = column.at(local);
      if (code) answers.push(label + dictionary[form][code - 1]!);
    }
    return `{${answers.join(',')}}`;
  }

  private sortedQuestions(form: AnswerColumns): string[] {
    return (form.sorted ??= [...form.questions.keys()].sort());
  }

  private response(row: number, stratumOf: (unit: string, stratum: string) => string): UnweightedResponse {
    const unit = this.name('unit', row);
    const form = this.forms[this.rows.questionnaire.at(row)]!;
    const local = this.rows.local.at(row);
    const answers: Record<string, unknown> = {};
    for (const question of this.sortedQuestions(form)) {
      const { column, answers: dictionary } = form.questions.get(question)!;
      const code = column.at(local);
      if (code) answers[question] = dictionary.values[code - 1];
    }
    return { unit, stratum: stratumOf(unit, this.name('stratum', row)), questionnaire: this.name('questionnaire', row), mode: this.name('mode', row), answers };
  }

  private name(kind: keyof ResponseTable['names'], row: number): string {
    return this.names[kind].values[this.rows[kind].at(row) - 1]!;
  }
}
