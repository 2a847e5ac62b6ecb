import { Router, type Request, type Response } from 'express';
import { can } from '../auth/policy.js';
import { notFound } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { translate, type Lang, type Message } from '../i18n/index.js';
import { printableHtml, printPdf } from '../reports/document.js';
import { ChromiumMissing } from '../reports/browser.js';
import { answerSchema, catalogOf, minutesToAnswer, questionsOf, type Questionnaire } from '../questionnaires/index.js';
import { questionnaireChanges } from '../questionnaires/diff.js';
import { answersFromForm, checkAnswers } from '../responses/answers.js';
import { formView } from '../responses/form-view.js';
import {
  detailsFields,
  detailsFromForm,
  earlierChoiceQuestions,
  locate,
  questionFields,
  questionFromForm,
  questionProblems,
  type FieldErrors,
  QUESTION_TYPES,
} from './forms.js';
import * as design from './service.js';
import type { DesignerPages } from './pages.js';

/** A questionnaire's pages: its texts and sections, each question, the preview and the paper form. */
export function questionnaireRoutes(router: Router, pages: DesignerPages): void {
  const { db, catalog, options, view, edit, versionOf, mayEdit, problemList } = pages;

  async function questionnaireOf(req: Request) {
    const version = await versionOf(req, 'questionnaire');
    return { version, questionnaire: version.document as Questionnaire };
  }

  async function renderQuestionnaire(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const { version, questionnaire } = await questionnaireOf(req);
    const based = version.basedOn?.startsWith('questionnaire:') ? await design.findDesign(db, catalog, 'questionnaire', version.basedOn.slice('questionnaire:'.length)) : undefined;
    const href = `/design/questionnaire/${encodeURIComponent(version.key)}`;
    res.status(status).render('pages/design-questionnaire', {
      version: { ...version, href },
      title: questionnaire.title[req.lang],
      minutes: minutesToAnswer(questionnaire),
      sections: questionnaire.sections.map((s) => ({
        code: s.code,
        title: s.title[req.lang],
        questions: s.questions.map((q, i) => ({
          code: q.code,
          type: q.type,
          text: q.text[req.lang],
          required: q.required,
          showIf: q.showIf && { question: q.showIf.question, answers: q.showIf.anyOf.join(', ') },
          href: `${href}/questions/${encodeURIComponent(q.code)}`,
          first: i === 0,
          last: i === s.questions.length - 1,
        })),
      })),
      changes: based ? questionnaireChanges(based.document as Questionnaire, questionnaire) : [],
      basedOn: based?.key,
      details: { ...detailsFields(questionnaire), ...(extra.detailsValues as Record<string, string> | undefined) },
      mayEdit: mayEdit(req, version.status),
      ...extra,
    });
  }

  router.get('/design/questionnaire/:key', view, (req, res) => renderQuestionnaire(req, res));

  router.post('/design/questionnaire/:key/details', edit, async (req, res) => {
    const { version, questionnaire } = await questionnaireOf(req);
    const href = `/design/questionnaire/${encodeURIComponent(version.key)}`;
    const { questionnaire: next, errors, newSection } = detailsFromForm(questionnaire, req.body);
    if (Object.keys(errors).length) return renderQuestionnaire(req, res, { errors, detailsValues: req.body }, 422);
    const saved = await design.saveDraft(db, catalog, req.staff!, 'questionnaire', version.key, next);
    if (!saved.ok) return renderQuestionnaire(req, res, { problem: saved.error, problems: 'problems' in saved ? problemList(saved.problems) : [], detailsValues: req.body }, 422);
    // A section needs its first question before it can be stored: the new-question form carries it.
    if (newSection) return res.redirect(303, `${href}/questions/new?${new URLSearchParams({ section: newSection, sectionVi: String(req.body.newVi), sectionEn: String(req.body.newEn) })}`);
    flash(res, { key: 'designer.saved' });
    res.redirect(303, href);
  });

  async function renderQuestion(req: Request, res: Response, extra: { fields?: Record<string, unknown>; errors?: FieldErrors; problems?: unknown[]; problem?: Message } = {}, status = 200) {
    const { version, questionnaire } = await questionnaireOf(req);
    const code = String(req.params.code);
    const isNew = code === 'new';
    const question = isNew ? undefined : questionsOf(questionnaire).find((q) => q.code === code);
    if (!isNew && !question) throw notFound('designer.notFound');
    res.status(status).render('pages/design-question', {
      version: { ...version, href: `/design/questionnaire/${encodeURIComponent(version.key)}` },
      formTitle: questionnaire.title[req.lang],
      isNew,
      section: String(req.query.section ?? req.body?.section ?? questionnaire.sections.at(-1)!.code),
      newSection: ['sectionVi', 'sectionEn'].every((k) => typeof (req.query[k] ?? req.body?.[k]) === 'string') ? { vi: String(req.query.sectionVi ?? req.body.sectionVi), en: String(req.query.sectionEn ?? req.body.sectionEn) } : undefined,
      sections: questionnaire.sections.map((s) => ({ code: s.code, title: s.title[req.lang] })),
      fields: extra.fields ?? questionFields(question),
      types: QUESTION_TYPES,
      earlier: earlierChoiceQuestions(questionnaire, question?.code).map((q) => ({ ...q, text: q.text[req.lang] })),
      mayEdit: mayEdit(req, version.status),
      errors: extra.errors,
      problems: extra.problems,
      problem: extra.problem,
    });
  }

  router.get('/design/questionnaire/:key/questions/:code', view, (req, res) => renderQuestion(req, res));

  router.post('/design/questionnaire/:key/questions/:code', edit, async (req, res) => {
    const { version, questionnaire } = await questionnaireOf(req);
    const code = String(req.params.code);
    const { question, errors } = questionFromForm(req.body);
    const fields = { ...questionFields(question), ...pick(req.body, ['min', 'max', 'maxLength']) };
    if (Object.keys(errors).length) return renderQuestion(req, res, { fields, errors }, 422);
    const next = structuredClone(questionnaire);
    if (code === 'new') {
      let section = next.sections.find((s) => s.code === String(req.body.section));
      const sectionTitle = { vi: String(req.body.sectionVi ?? '').trim(), en: String(req.body.sectionEn ?? '').trim() };
      if (!section && sectionTitle.vi && sectionTitle.en) next.sections.push((section = { code: String(req.body.section), title: sectionTitle, questions: [] }));
      if (!section) return renderQuestion(req, res, { fields, errors: { section: { key: 'designer.field.required' } } }, 422);
      section.questions.push(question);
    } else {
      const at = locate(next, code);
      if (!at) throw notFound('designer.notFound');
      next.sections[at.s]!.questions[at.q] = question;
    }
    const saved = await design.saveDraft(db, catalog, req.staff!, 'questionnaire', version.key, next);
    if (!saved.ok) {
      const at = locate(next, question.code)!.at;
      const split = 'problems' in saved ? questionProblems(saved.problems, at) : { errors: {}, others: [] };
      return renderQuestion(req, res, { fields, errors: split.errors, problems: problemList(split.others), problem: saved.error }, 422);
    }
    flash(res, { key: 'designer.saved' });
    res.redirect(303, `/design/questionnaire/${encodeURIComponent(version.key)}#q-${question.code}`);
  });

  /** Moves a question up or down within its section, or deletes it. */
  router.post('/design/questionnaire/:key/questions/:code/:action', edit, async (req, res) => {
    const { version, questionnaire } = await questionnaireOf(req);
    const action = String(req.params.action);
    const next = structuredClone(questionnaire);
    const at = locate(next, String(req.params.code));
    if (!at || !['up', 'down', 'delete'].includes(action)) throw notFound('designer.notFound');
    const questions = next.sections[at.s]!.questions;
    if (action === 'delete') questions.splice(at.q, 1);
    else {
      const to = action === 'up' ? at.q - 1 : at.q + 1;
      if (to >= 0 && to < questions.length) [questions[at.q], questions[to]] = [questions[to]!, questions[at.q]!];
    }
    const saved = await design.saveDraft(db, catalog, req.staff!, 'questionnaire', version.key, next);
    flash(res, saved.ok ? { key: 'designer.saved' } : 'problems' in saved && saved.problems[0] ? saved.problems[0].message : saved.error);
    res.redirect(303, `/design/questionnaire/${encodeURIComponent(version.key)}#q-${String(req.params.code)}`);
  });


  /** The respondent's form exactly as a business sees it; what is sent is checked and nothing is stored. */
  async function renderPreview(req: Request, res: Response, body: Record<string, unknown> = {}, errors = {}, checkedOk = false) {
    const { version, questionnaire } = await questionnaireOf(req);
    const sections = formView(questionnaire, req.lang, body, errors);
    res.render('pages/survey-form', {
      unit: { name: translate(req.lang, 'designer.previewUnit'), unitCode: 'preview' },
      questionnaire: { title: questionnaire.title[req.lang], intro: questionnaire.intro?.[req.lang] },
      sections,
      schema: answerSchema(questionnaire),
      mode: 'online',
      minutes: minutesToAnswer(questionnaire),
      preview: { action: `/design/questionnaire/${encodeURIComponent(version.key)}/preview`, back: `/design/questionnaire/${encodeURIComponent(version.key)}`, ok: checkedOk },
      errorCount: Object.keys(errors).length,
    });
  }
  router.get('/design/questionnaire/:key/preview', view, (req, res) => renderPreview(req, res));
  router.post('/design/questionnaire/:key/preview', view, async (req, res) => {
    const { questionnaire } = await questionnaireOf(req);
    const validate = catalogOf({ questionnaires: new Map([['preview', questionnaire]]), methodologies: new Map([['preview', catalog.methodology]]) }).answerValidator('preview');
    const checked = checkAnswers(questionnaire, validate, answersFromForm(questionnaire, req.body));
    await renderPreview(req, res, req.body, checked.ok ? {} : checked.errors, checked.ok);
  });

  /** The paper questionnaire enumerators carry (A4), the unit named when given; typed in later under the paper mode. */
  router.get('/design/questionnaire/:key/paper.pdf', view, async (req, res) => {
    const { version, questionnaire } = await questionnaireOf(req);
    const unit = typeof req.query.unit === 'string' ? req.query.unit.slice(0, 200) : '';
    try {
      const html = await printableHtml(req.app, 'pages/paper-questionnaire', paperModel(questionnaire, req.lang, unit, version.key), req.lang);
      res.type('application/pdf').attachment(`${version.key}-paper.pdf`).send(await printPdf(html, options.chromiumPath));
    } catch (error) {
      if (!(error instanceof ChromiumMissing)) throw error;
      options.logger.warn({ err: error }, 'paper questionnaire: Chromium is not available');
      res.status(503).render('pages/error', { status: 503, message: { key: 'report.noChromium', params: { reason: error.message } } });
    }
  });
}

const pick = (body: Record<string, unknown>, names: string[]) => Object.fromEntries(names.map((n) => [n, typeof body[n] === 'string' ? body[n] : '']));

/** The paper form: every question with its code, its answers as boxes to tick, “don't know” where offered. */
function paperModel(questionnaire: Questionnaire, lang: Lang, unit: string, key: string) {
  const { scales } = questionnaire;
  return {
    key,
    title: questionnaire.title[lang],
    intro: questionnaire.intro?.[lang],
    unit,
    minutes: minutesToAnswer(questionnaire),
    sections: questionnaire.sections.map((s) => ({
      code: s.code,
      title: s.title[lang],
      questions: s.questions.map((q) => ({
        code: q.code,
        text: q.text[lang],
        help: q.help?.[lang],
        required: q.required,
        showIf: q.showIf && { question: q.showIf.question, answers: q.showIf.anyOf.join(', ') },
        multiple: q.type === 'multiple',
        likert: q.type === 'likert5',
        choices: q.type === 'likert5' || q.type === 'yesno' ? Object.entries(scales[q.type]).map(([code, label]) => ({ code, label: label[lang] })) : (q.options ?? []).map((o) => ({ code: o.code, label: o.label[lang] })),
        number: q.type === 'number' && { min: q.min, max: q.max, unit: q.unit?.[lang] },
        freeText: q.type === 'text',
        dontKnow: q.dontKnow && scales.dontKnow[lang],
      })),
    })),
  };
}
