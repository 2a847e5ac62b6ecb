import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Message } from '../i18n/index.js';
import { DONT_KNOW, isAsked, questionsOf, type Question, type Questionnaire } from '../questionnaires/index.js';

/** From a submitted form to answers, and from ajv's errors to a message beside each question. Pure. */

export type Answers = Record<string, string | number | string[]>;
export type AnswerErrors = Record<string, Message>;

/**
 * Reads the questionnaire's fields from a form body (`extended: false`: a repeated name is an array).
 * An empty field is no answer; a number may use a decimal comma; "don't know" ticked beside a number
 * or on its own among choices becomes `DK`. Anything contradictory is kept as sent, for ajv to refuse.
 * A question whose display rule does not hold was hidden from the respondent: what its fields still hold
 * (typed before an earlier answer changed) is dropped, not stored.
 */
export function answersFromForm(questionnaire: Questionnaire, body: Record<string, unknown>): Answers {
  const answers: Answers = {};
  for (const question of questionsOf(questionnaire)) {
    const raw = body[question.code];
    const values = (Array.isArray(raw) ? raw : [raw])
      .filter((v): v is string => typeof v === 'string')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    const [first] = values;
    if (first === undefined || !isAsked(question, answers)) continue;
    if (question.type === 'multiple') answers[question.code] = values.length === 1 && first === DONT_KNOW ? DONT_KNOW : values;
    else if (values.length > 1) answers[question.code] = values;
    else if (question.type === 'number' && first !== DONT_KNOW) answers[question.code] = toNumber(first);
    else answers[question.code] = first;
  }
  return answers;
}

function toNumber(text: string): number | string {
  const value = Number(text.replace(',', '.'));
  return /^-?\d+([.,]\d+)?$/.test(text) && Number.isFinite(value) ? value : text;
}

export type AnswerCheck = { ok: true; answers: Answers } | { ok: false; errors: AnswerErrors };

/** Validates answers with the questionnaire's compiled answer schema; one message per question. */
export function checkAnswers(questionnaire: Questionnaire, validate: ValidateFunction, answers: Answers): AnswerCheck {
  if (validate(answers)) return { ok: true, answers };
  const questions = new Map(questionsOf(questionnaire).map((q) => [q.code, q]));
  const errors: AnswerErrors = {};
  for (const error of validate.errors ?? []) {
    const code = questionCodeOf(error);
    const question = code === undefined ? undefined : questions.get(code);
    if (!question) continue;
    errors[question.code] ??= error.keyword === 'required' ? { key: 'survey.field.required' } : messageFor(question, answers[question.code]);
  }
  return { ok: false, errors };
}

function questionCodeOf(error: ErrorObject): string | undefined {
  if (error.keyword === 'required') return (error.params as { missingProperty: string }).missingProperty;
  return error.instancePath.split('/')[1];
}

function messageFor(question: Question, answer: unknown): Message {
  switch (question.type) {
    case 'number':
      // A number and “don't know” both given: say which two to choose between, not that the number is wrong.
      if (Array.isArray(answer) && answer.includes(DONT_KNOW)) return { key: 'survey.field.numberAndDontKnow' };
      return { key: 'survey.field.number', params: { min: question.min ?? 0, max: question.max ?? 0 } };
    case 'text':
      return { key: 'survey.field.tooLong', params: { limit: question.maxLength ?? 0 } };
    case 'multiple':
      return { key: 'survey.field.choices' };
    default:
      return { key: 'survey.field.choose' };
  }
}
