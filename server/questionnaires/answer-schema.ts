import { DONT_KNOW, type Question, type Questionnaire } from './types.js';

/**
 * The JSON Schema that answers to a questionnaire must satisfy, derived from it (pure). Answers arrive as
 * form values: codes are strings, numbers are numbers (coerced), multiple choices are arrays. A question
 * offering “don't know” also accepts `DK`. Unknown fields are refused.
 */
export function answerSchema(questionnaire: Questionnaire): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const question of questionnaire.sections.flatMap((s) => s.questions)) {
    properties[question.code] = questionSchema(question);
    if (question.required) required.push(question.code);
  }
  return {
    $id: `answers/${questionnaire.id}-${questionnaire.version}`,
    type: 'object',
    properties,
    required,
    additionalProperties: false,
  };
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
      const number = { type: 'number', minimum: q.min, maximum: q.max };
      return q.dontKnow ? { anyOf: [number, { const: DONT_KNOW }] } : number;
    }
    case 'text':
      return { type: 'string', maxLength: q.maxLength };
  }
}

export function questionsOf(questionnaire: Questionnaire) {
  return questionnaire.sections.flatMap((s) => s.questions);
}
