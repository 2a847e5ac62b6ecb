import { questionsOf } from './answer-schema.js';
import type { Question, Questionnaire } from './types.js';

/**
 * An estimate of the minutes a business needs to answer: reading each question at 200 words a minute
 * (Vietnamese syllables count as words) plus a few seconds to choose, more to type a number or a text.
 */
export function minutesToAnswer(questionnaire: Questionnaire): number {
  const choose: Record<Question['type'], number> = { likert5: 5, yesno: 3, single: 6, multiple: 10, number: 10, text: 45 };
  const words = (s: string | undefined) => (s ? s.split(/\s+/).filter(Boolean).length : 0);
  const seconds = questionsOf(questionnaire).reduce((total, q) => total + (words(q.text.vi) + words(q.help?.vi) + (q.options ?? []).reduce((n, o) => n + words(o.label.vi), 0)) * 0.3 + choose[q.type], 0);
  return Math.max(1, Math.round(seconds / 60));
}
