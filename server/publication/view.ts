import type { Lang } from '../i18n/index.js';
import type { Catalog } from '../questionnaires/index.js';
import type { OpenedResults } from './results.js';

/** The committee's free-text answers per unit, each with its question's text, in the reader's language. */
export function freeTextView(opened: OpenedResults, catalog: Catalog, lang: Lang) {
  const names = new Map(opened.results.units.map((u) => [u.code, lang === 'en' ? u.nameEn : u.nameVi]));
  const questions = new Map([...catalog.questionnaires.values()].flatMap((form) => form.sections.flatMap((s) => s.questions)).map((q) => [q.code, q.text[lang]]));
  return (opened.freeText ?? []).map((g) => ({ unit: g.unit, name: names.get(g.unit) ?? g.unit, question: g.question, questionText: questions.get(g.question) ?? g.question, texts: g.texts, count: g.texts.length }));
}
