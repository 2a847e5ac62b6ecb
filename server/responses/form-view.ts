import type { Lang, Message } from '../i18n/index.js';
import { DONT_KNOW, type Question, type Questionnaire } from '../questionnaires/index.js';
import type { AnswerErrors } from './answers.js';

/**
 * What the form template needs, one entry per question, in the respondent's language, with what was sent
 * (kept on error) and the message beside each field. Pure.
 */
export interface ChoiceView {
  value: string;
  label: string;
  checked: boolean;
}

export interface QuestionView {
  code: string;
  type: Question['type'];
  text: string;
  help?: string;
  required: boolean;
  /** `{"question":…,"anyOf":[…]}` when the question is asked only after some answers (survey.js hides it otherwise). */
  showIf?: string;
  /** Radio buttons or check boxes, "don't know" last where offered. */
  choices: ChoiceView[];
  multiple: boolean;
  /** Number and text questions. */
  value: string;
  min?: number;
  max?: number;
  maxLength?: number;
  unit?: string;
  dontKnow?: ChoiceView;
  error?: Message;
}

export interface SectionView {
  code: string;
  title: string;
  questions: QuestionView[];
}

const sent = (body: Record<string, unknown>, code: string): string[] => {
  const raw = body[code];
  return (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
};

export function formView(questionnaire: Questionnaire, lang: Lang, body: Record<string, unknown> = {}, errors: AnswerErrors = {}): SectionView[] {
  const { scales } = questionnaire;
  return questionnaire.sections.map((section) => ({
    code: section.code,
    title: section.title[lang],
    questions: section.questions.map((q): QuestionView => {
      const values = sent(body, q.code);
      const choice = (value: string, label: string): ChoiceView => ({ value, label, checked: values.includes(value) });
      const dontKnow = q.dontKnow ? choice(DONT_KNOW, scales.dontKnow[lang]) : undefined;
      const listed =
        q.type === 'likert5' || q.type === 'yesno'
          ? Object.entries(scales[q.type]).map(([value, label]) => choice(value, label[lang]))
          : (q.options ?? []).map((o) => choice(o.code, o.label[lang]));
      const free = q.type === 'number' || q.type === 'text';
      return {
        code: q.code,
        type: q.type,
        text: q.text[lang],
        help: q.help?.[lang],
        required: q.required,
        showIf: q.showIf && JSON.stringify(q.showIf),
        multiple: q.type === 'multiple',
        choices: free ? [] : dontKnow ? [...listed, dontKnow] : listed,
        value: free ? (values.find((v) => v !== DONT_KNOW) ?? '') : '',
        min: q.min,
        max: q.max,
        maxLength: q.maxLength,
        unit: q.unit?.[lang],
        dontKnow: free ? dontKnow : undefined,
        error: errors[q.code],
      };
    }),
  }));
}
