import { DONT_KNOW, type Question, type Questionnaire } from './types.js';

/**
 * The JSON Schema that answers to a questionnaire must satisfy, derived from it (pure). Answers arrive as
 * form values: codes are strings, numbers are numbers (coerced), multiple choices are arrays. A question
 * offering “don't know” also accepts `DK`. Unknown fields are refused. A question with a display rule is
 * required only when its rule holds, and must be left unanswered when it does not (an answer to a question
 * the respondent was never shown would be counted as if asked).
 */
export function answerSchema(questionnaire: Questionnaire): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const rules: Record<string, unknown>[] = [];
  const questions = new Map(questionsOf(questionnaire).map((q) => [q.code, q]));
  for (const question of questions.values()) {
    properties[question.code] = questionSchema(question);
    if (!question.showIf) {
      if (question.required) required.push(question.code);
      continue;
    }
    const { question: on, anyOf } = question.showIf;
    const holds = questions.get(on)?.type === 'multiple' ? { type: 'array', contains: { enum: anyOf } } : { enum: anyOf };
    // Each subschema names the properties it requires, as ajv's strict mode asks.
    const present = { type: 'object', properties: { [question.code]: true }, required: [question.code] };
    rules.push({
      if: { type: 'object', properties: { [on]: holds }, required: [on] },
      then: question.required ? present : true,
      else: { not: present },
    });
  }
  return {
    $id: `answers/${questionnaire.id}-${questionnaire.version}`,
    type: 'object',
    properties,
    required,
    ...(rules.length ? { allOf: rules } : {}),
    additionalProperties: false,
  };
}

/** Whether a question is asked, given the answers so far (its rule's question answered with one of its codes). */
export function isAsked(question: Question, answers: Record<string, unknown>): boolean {
  if (!question.showIf) return true;
  const given = answers[question.showIf.question];
  const values = Array.isArray(given) ? given : given === undefined ? [] : [given];
  return values.some((v) => question.showIf!.anyOf.includes(String(v)));
}

/** The coded answers of a choice question ([] for number and text), without “don't know”. */
export function answerCodes(questionnaire: Questionnaire, q: Question): string[] {
  if (q.type === 'likert5' || q.type === 'yesno') return Object.keys(questionnaire.scales[q.type]);
  return (q.options ?? []).map((o) => o.code);
}

function withDontKnow(question: Question, values: string[]): string[] {
  return question.dontKnow ? [...values, DONT_KNOW] : values;
}

function questionSchema(q: Question): Record<string, unknown> {
  switch (q.type) {
    case 'likert5':
      return { type: 'string', enum: withDontKnow(q, ['1', '2', '3', '4', '5']) };
    case 'yesno':
      return { type: 'string', enum: withDontKnow(q, ['yes', 'no']) };
    case 'single':
      return { type: 'string', enum: withDontKnow(q, q.options!.map((o) => o.code)) };
    case 'multiple': {
      const items = { type: 'string', enum: q.options!.map((o) => o.code) };
      const list = { type: 'array', items, uniqueItems: true, minItems: 1, maxItems: q.options!.length };
      return q.dontKnow ? { anyOf: [list, { const: DONT_KNOW }] } : list;
    }
    case 'number': {
      const number = { type: q.integer ? 'integer' : 'number', minimum: q.min, maximum: q.max };
      return q.dontKnow ? { anyOf: [number, { const: DONT_KNOW }] } : number;
    }
    case 'text':
      return { type: 'string', maxLength: q.maxLength };
  }
}

export function questionsOf(questionnaire: Questionnaire) {
  return questionnaire.sections.flatMap((s) => s.questions);
}
