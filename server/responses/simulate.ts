/**
 * Plausible answers generated from a questionnaire's answer schema (the one the form page embeds), as
 * form fields: for `ddci simulate`, the demo, tests and benchmarks. Pure; randomness is injected.
 */
import type { Random } from '../scoring/random.js';

export { seededRandom } from '../scoring/random.js';
export type FormFields = Record<string, string | string[]>;

interface PropertySchema {
  type?: string;
  enum?: string[];
  anyOf?: PropertySchema[];
  items?: { enum: string[] };
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  const?: string;
}

export interface AnswerSchema {
  properties: Record<string, PropertySchema>;
  required: string[];
  /** Display rules: a question required when its rule holds (server/questionnaires/answer-schema.ts). */
  allOf?: { then?: { required?: string[] } | boolean }[];
}

/** What a survey form page carries for answering it: its nonce and the answer schema it embeds. */
export function readSurveyForm(html: string): { nonce: string; schema: AnswerSchema } {
  const nonce = /name="_nonce" value="([^"]+)"/.exec(html)?.[1];
  const schema = /<script type="application\/json" id="answer-schema">([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (!nonce || !schema) throw new Error('not a survey form page');
  return { nonce, schema: JSON.parse(schema) as AnswerSchema };
}

const pick = <T>(random: Random, values: readonly T[]): T => values[Math.floor(random() * values.length)]!;

/** The free-text remarks simulated respondents write (tests look for them where they must not be). */
export const REMARKS = ['Đề nghị rút ngắn thời gian giải quyết hồ sơ.', 'Cán bộ hướng dẫn tận tình.', 'Cần công khai thêm thông tin trên cổng điện tử.'];

/**
 * One answer per question (optional ones answered four times in five), "don't know" now and then. A question
 * asked only after some answers is answered as if asked: the form drops it when its rule does not hold.
 */
export function randomAnswers(schema: AnswerSchema, random: Random): FormFields {
  const fields: FormFields = {};
  const required = new Set([...schema.required, ...(schema.allOf ?? []).flatMap((r) => (typeof r.then === 'object' ? (r.then.required ?? []) : []))]);
  const isNumber = (r: PropertySchema) => r.type === 'number' || r.type === 'integer';
  for (const [code, rule] of Object.entries(schema.properties)) {
    if (!required.has(code) && random() < 0.2) continue;
    const list = rule.anyOf?.find((r) => r.type === 'array') ?? (rule.type === 'array' ? rule : undefined);
    const number = rule.anyOf?.find(isNumber) ?? (isNumber(rule) ? rule : undefined);
    const dontKnow = rule.anyOf?.some((r) => r.const === 'DK') ?? false;
    if (dontKnow && random() < 0.05) fields[code] = 'DK';
    else if (rule.enum) fields[code] = pick(random, rule.enum.length > 1 && random() < 0.9 ? rule.enum.filter((v) => v !== 'DK') : rule.enum);
    else if (list?.items) fields[code] = list.items.enum.filter(() => random() < 0.4).concat(list.items.enum[0]!).filter((v, i, all) => all.indexOf(v) === i);
    else if (number) fields[code] = String(Math.round((number.minimum ?? 0) + random() * Math.min(60, (number.maximum ?? 100) - (number.minimum ?? 0))));
    else fields[code] = pick(random, REMARKS);
  }
  return fields;
}

/** The same answers made invalid the way people get forms wrong: a required answer missing, a number out of range. */
export function spoilAnswers(schema: AnswerSchema, fields: FormFields, random: Random): { fields: FormFields; spoiled: string } {
  const spoiled = { ...fields };
  const numbers = Object.entries(schema.properties).filter(([, r]) => r.type === 'number' || r.anyOf?.some((a) => a.type === 'number'));
  if (numbers.length && random() < 0.5) {
    const [code, rule] = pick(random, numbers);
    const max = (rule.anyOf?.find((a) => a.type === 'number') ?? rule).maximum ?? 0;
    spoiled[code] = String(max + 1);
    return { fields: spoiled, spoiled: code };
  }
  const code = pick(random, schema.required);
  delete spoiled[code];
  return { fields: spoiled, spoiled: code };
}
