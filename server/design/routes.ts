import { Router, type Request, type Response } from 'express';
import { requirePermission } from '../auth/index.js';
import { can } from '../auth/policy.js';
import type { Db } from '../db/client.js';
import { notFound } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { singleSmallFile } from '../http/uploads.js';
import { translate, type Lang, type Message } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import { printableHtml, printPdf } from '../reports/document.js';
import { ChromiumMissing } from '../reports/browser.js';
import { answerCodes, answerSchema, catalogOf, minutesToAnswer, questionsOf, type Catalog, type CatalogProblem, type Methodology, type Questionnaire } from '../questionnaires/index.js';
import { methodologyChanges, questionnaireChanges } from '../questionnaires/diff.js';
import { readWorkbook, writeWorkbook, type WorkbookProblem } from '../questionnaires/workbook.js';
import { answersFromForm, checkAnswers } from '../responses/answers.js';
import { formView } from '../responses/form-view.js';
import type { VersionKind } from './queries.js';
import {
  detailsFields,
  detailsFromForm,
  earlierChoiceQuestions,
  indicatorFields,
  indicatorFromForm,
  indicatorProblems,
  locate,
  questionFields,
  questionFromForm,
  questionProblems,
  settingsField,
  settingsFields,
  settingsFromForm,
  weightPercent,
  weightsFromForm,
  type FieldErrors,
} from './forms.js';
import * as design from './service.js';

/**
 * The survey designer (docs/designer.md): administrators shape next year's questionnaires and index from
 * last year's, in the browser or as a workbook; the committee and the observer read; the chair approves.
 */
export function designRoutes(db: Db, catalog: Catalog, options: { chromiumPath?: string; logger: Logger }): Router {
  const router = Router();
  const view = requirePermission('design.view');
  const edit = requirePermission('design.edit');
  const approve = requirePermission('design.approve');
  const kindOf = (req: Request): VersionKind => {
    const kind = String(req.params.kind);
    if (kind !== 'questionnaire' && kind !== 'methodology') throw notFound();
    return kind;
  };
  const versionOf = async (req: Request, kind: VersionKind = kindOf(req)) => {
    const found = await design.findDesign(db, catalog, kind, String(req.params.key));
    if (!found) throw notFound('designer.notFound');
    return found;
  };
  const mayEdit = (req: Request, status: design.VersionStatus) => status === 'draft' && can(req.staff!.role, 'design.edit');
  const problemList = (problems: CatalogProblem[]) => problems.map((p) => ({ where: `${p.file} ${p.path}`, message: p.message }));

  async function renderList(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    await design.installApprovedVersions(db, catalog); // approvals made by another instance
    const versions = await design.designVersions(db, catalog);
    const rows = await Promise.all(
      versions.map(async (v) => ({
        ...v,
        title: v.kind === 'questionnaire' ? (v.document as Questionnaire).title[req.lang] : (v.document as Methodology).blocks.map((b) => b.name[req.lang]).join(', '),
        shortHash: v.hash.slice(0, 12),
        version: v.kind === 'questionnaire' ? (v.document as Questionnaire).version : v.key,
        campaigns: v.kind === 'methodology' ? await design.campaignsPinning(db, v.key) : [],
        href: `/design/${v.kind}/${encodeURIComponent(v.key)}`,
      })),
    );
    res.status(status).render('pages/design-list', {
      methodologies: rows.filter((r) => r.kind === 'methodology'),
      questionnaires: rows.filter((r) => r.kind === 'questionnaire'),
      mayEdit: can(req.staff!.role, 'design.edit'),
      suggestedVersion: `${new Date().getFullYear() + 1}.1`,
      ...extra,
    });
  }

  router.get('/design', view, (req, res) => renderList(req, res));

  router.post('/design/start', edit, async (req, res) => {
    const [kind, ...rest] = String(req.body.from ?? '').split(':') as [VersionKind, ...string[]];
    const version = String(req.body.version ?? '').trim();
    const started = await design.startVersion(db, catalog, req.staff!, { kind, key: rest.join(':') }, version);
    if (!started.ok) return renderList(req, res, { problem: started.error, problems: 'problems' in started ? problemList(started.problems) : [], values: req.body }, 409);
    flash(res, { key: 'designer.started', params: { key: started.value.key } });
    res.redirect(303, `/design/${started.value.kind}/${encodeURIComponent(started.value.key)}`);
  });

  router.post('/design/import', edit, singleSmallFile('workbook', 5 * 1024 * 1024), async (req, res) => {
    if (!req.file) return renderList(req, res, { problem: { key: 'designer.noFile' } }, 422);
    const read = await readWorkbook(req.file.buffer, { questionnaires: await design.knownQuestionnaires(db, catalog) });
    if (read.problems.length) return renderList(req, res, { problem: { key: 'designer.workbookInvalid', params: { count: read.problems.length } }, workbookProblems: read.problems.map((p) => workbookProblemText(p, req.lang)) }, 422);
    const imported = await design.importDocuments(db, catalog, req.staff!, read);
    if (!imported.ok) return renderList(req, res, { problem: imported.error, problems: 'problems' in imported ? problemList(imported.problems) : [] }, 409);
    flash(res, { key: 'designer.imported', params: { keys: imported.value.map((v) => v.key).join(', ') } });
    const main = imported.value.at(-1)!;
    res.redirect(303, `/design/${main.kind}/${encodeURIComponent(main.key)}`);
  });

  router.get('/design/:kind/:key/workbook.xlsx', view, async (req, res) => {
    const version = await versionOf(req);
    const book = await writeWorkbook(version.kind === 'questionnaire' ? { questionnaire: version.document as Questionnaire } : { methodology: version.document as Methodology });
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(`${version.kind === 'questionnaire' ? version.key : `methodology-${version.key}`}.xlsx`).send(book);
  });

  // ——— a methodology ———

  async function renderMethodology(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const version = await versionOf(req, 'methodology');
    const m = version.document as Methodology;
    const wording = async (key: string) => (await design.findDesign(db, catalog, 'questionnaire', key))?.document as Questionnaire | undefined;
    const questionnaires = new Map<string, Questionnaire | undefined>();
    for (const block of m.blocks) if (!questionnaires.has(block.questionnaire)) questionnaires.set(block.questionnaire, await wording(block.questionnaire));
    const textOf = (code: string) => {
      for (const q of questionnaires.values()) {
        const found = q && questionsOf(q).find((x) => x.code === code);
        if (found) return found.text[req.lang];
      }
      return '';
    };
    const based = version.basedOn?.startsWith('methodology:') ? await design.findDesign(db, catalog, 'methodology', version.basedOn.slice('methodology:'.length)) : undefined;
    const sent = (extra.values as Record<string, unknown> | undefined) ?? {};
    res.status(status).render('pages/design-methodology', {
      version: { ...version, href: `/design/methodology/${encodeURIComponent(version.key)}` },
      m,
      pillars: m.pillars.map((p) => ({ code: p.code, name: p.name[req.lang] })),
      blocks: m.blocks.map((b) => ({
        code: b.code,
        name: b.name[req.lang],
        questionnaire: b.questionnaire,
        questionnaireHref: `/design/questionnaire/${encodeURIComponent(b.questionnaire)}`,
        questionnaireTitle: questionnaires.get(b.questionnaire)?.title[req.lang] ?? b.questionnaire,
        total: weightPercent(Object.values(b.weights).reduce((a, w) => a + w, 0)),
        weights: m.pillars.map((p) => {
          const name = `weight.${b.code}.${p.code}`;
          return { name, pillar: p.code, pillarName: p.name[req.lang], value: typeof sent[name] === 'string' ? sent[name] : weightPercent(b.weights[p.code]) };
        }),
        tiers: b.tiers.bands.map((band) => ({ label: band.label[req.lang], at: 'min' in band ? `≥ ${band.min}` : `≤ ${Math.round(band.upTo * 100)} %` })),
        scheme: b.tiers.scheme,
      })),
      indicators: m.indicators.map((i) => ({ ...i, href: `/design/methodology/${encodeURIComponent(version.key)}/indicators/${encodeURIComponent(i.code)}`, wording: textOf(i.question), pillarName: m.pillars.find((p) => p.code === i.pillar)?.name[req.lang], favourable: i.favourable?.join(', '), bounds: m.normalisation.fixedBounds?.[i.code]?.join('–'), comparable: i.comparable?.reason[req.lang] })),
      settings: { ...settingsFields(m), ...(extra.settingsValues as Record<string, string> | undefined) },
      changes: based ? methodologyChanges(based.document as Methodology, m) : [],
      basedOn: based?.key,
      campaigns: await design.campaignsPinning(db, version.key),
      approval: version.row?.approval,
      mayEdit: mayEdit(req, version.status),
      mayApprove: version.status === 'draft' && can(req.staff!.role, 'design.approve'),
      ...extra,
    });
  }

  router.get('/design/methodology/:key', view, (req, res) => renderMethodology(req, res));

  router.post('/design/methodology/:key/weights', edit, async (req, res) => {
    const version = await versionOf(req, 'methodology');
    const { methodology, errors } = weightsFromForm(version.document as Methodology, req.body);
    if (Object.keys(errors).length) return renderMethodology(req, res, { errors, values: req.body }, 422);
    const saved = await design.saveDraft(db, catalog, req.staff!, 'methodology', version.key, methodology);
    if (!saved.ok) return renderMethodology(req, res, { problem: saved.error, problems: 'problems' in saved ? problemList(saved.problems) : [], values: req.body }, 422);
    flash(res, { key: 'designer.saved' });
    res.redirect(303, `/design/methodology/${encodeURIComponent(version.key)}`);
  });

  router.post('/design/methodology/:key/settings', edit, async (req, res) => {
    const version = await versionOf(req, 'methodology');
    const { methodology, errors } = settingsFromForm(version.document as Methodology, req.body);
    if (Object.keys(errors).length) return renderMethodology(req, res, { errors, settingsValues: req.body }, 422);
    const saved = await design.saveDraft(db, catalog, req.staff!, 'methodology', version.key, methodology);
    if (!saved.ok) {
      const problems = 'problems' in saved ? saved.problems : [];
      const placed: FieldErrors = {};
      for (const p of problems) {
        const name = settingsField(methodology, p.path);
        if (name) placed[name] ??= p.message;
      }
      return renderMethodology(req, res, { problem: saved.error, errors: placed, problems: problemList(problems.filter((p) => !settingsField(methodology, p.path))), settingsValues: req.body }, 422);
    }
    flash(res, { key: 'designer.saved' });
    res.redirect(303, `/design/methodology/${encodeURIComponent(version.key)}`);
  });

  async function renderIndicator(req: Request, res: Response, extra: { fields?: Record<string, unknown>; errors?: FieldErrors; problems?: unknown[]; problem?: Message } = {}, status = 200) {
    const version = await versionOf(req, 'methodology');
    const m = version.document as Methodology;
    const code = String(req.params.code);
    const isNew = code === 'new';
    if (!isNew && !m.indicators.some((i) => i.code === code)) throw notFound('designer.notFound');
    const questions = new Map<string, { code: string; text: string }>();
    for (const key of new Set(m.blocks.map((b) => b.questionnaire))) {
      const found = (await design.findDesign(db, catalog, 'questionnaire', key))?.document as Questionnaire | undefined;
      for (const q of found ? questionsOf(found) : []) if (q.type !== 'text' && !questions.has(q.code)) questions.set(q.code, { code: q.code, text: `${q.text[req.lang]} (${q.type === 'number' ? translate(req.lang, 'designer.type.number') : answerCodes(found!, q).join(' ')})` });
    }
    res.status(status).render('pages/design-indicator', {
      version: { ...version, href: `/design/methodology/${encodeURIComponent(version.key)}` },
      isNew,
      fields: extra.fields ?? indicatorFields(m, isNew ? undefined : code),
      questions: [...questions.values()],
      pillars: m.pillars.map((p) => ({ code: p.code, name: p.name[req.lang] })),
      mayEdit: mayEdit(req, version.status),
      errors: extra.errors,
      problems: extra.problems,
      problem: extra.problem,
    });
  }

  router.get('/design/methodology/:key/indicators/:code', view, (req, res) => renderIndicator(req, res));

  router.post('/design/methodology/:key/indicators/:code', edit, async (req, res) => {
    const version = await versionOf(req, 'methodology');
    const code = String(req.params.code);
    const { methodology, errors } = indicatorFromForm(version.document as Methodology, code === 'new' ? undefined : code, req.body);
    if (Object.keys(errors).length) return renderIndicator(req, res, { fields: req.body, errors }, 422);
    const saved = await design.saveDraft(db, catalog, req.staff!, 'methodology', version.key, methodology);
    if (!saved.ok) {
      const index = methodology.indicators.findIndex((i) => i.code === String(req.body.code));
      const split = 'problems' in saved ? indicatorProblems(saved.problems, index, String(req.body.code)) : { errors: {}, others: [] };
      return renderIndicator(req, res, { fields: req.body, errors: split.errors, problems: problemList(split.others), problem: saved.error }, 422);
    }
    flash(res, { key: 'designer.saved' });
    res.redirect(303, `/design/methodology/${encodeURIComponent(version.key)}#indicators`);
  });

  router.post('/design/methodology/:key/indicators/:code/delete', edit, async (req, res) => {
    const version = await versionOf(req, 'methodology');
    const next = structuredClone(version.document as Methodology);
    const code = String(req.params.code);
    next.indicators = next.indicators.filter((i) => i.code !== code);
    if (next.normalisation.fixedBounds) delete next.normalisation.fixedBounds[code];
    const saved = await design.saveDraft(db, catalog, req.staff!, 'methodology', version.key, next);
    flash(res, saved.ok ? { key: 'designer.saved' } : 'problems' in saved && saved.problems[0] ? saved.problems[0].message : saved.error);
    res.redirect(303, `/design/methodology/${encodeURIComponent(version.key)}#indicators`);
  });

  router.post('/design/methodology/:key/approve', approve, async (req, res) => {
    const version = await versionOf(req, 'methodology');
    const approved = await design.approveMethodology(db, catalog, req.staff!, String(req.body.passphrase ?? ''), version.key);
    if (!approved.ok) return renderMethodology(req, res, { problem: approved.error, problems: 'problems' in approved ? problemList(approved.problems) : [] }, 409);
    flash(res, { key: 'designer.approved', params: { version: version.key } });
    res.redirect(303, `/design/methodology/${encodeURIComponent(version.key)}`);
  });

  // ——— a questionnaire ———

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
      types: ['likert5', 'yesno', 'single', 'multiple', 'number', 'text'],
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

  // ——— preview and paper ———

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

  // ——— what changed ———

  router.get('/design/diff/:kind', view, async (req, res) => {
    const kind = kindOf(req);
    const [from, to] = await Promise.all([String(req.query.from ?? ''), String(req.query.to ?? '')].map((key) => design.findDesign(db, catalog, kind, key)));
    const versions = (await design.designVersions(db, catalog)).filter((v) => v.kind === kind).map((v) => v.key);
    const changes = from && to ? (kind === 'questionnaire' ? questionnaireChanges(from.document as Questionnaire, to.document as Questionnaire) : methodologyChanges(from.document as Methodology, to.document as Methodology)) : [];
    res.render('pages/design-diff', { kind, versions, from: from?.key, to: to?.key, changes, compared: Boolean(from && to) });
  });

  return router;
}

const pick = (body: Record<string, unknown>, names: string[]) => Object.fromEntries(names.map((n) => [n, typeof body[n] === 'string' ? body[n] : '']));

/** A workbook problem in the reader's language: “Trang survey, dòng 14, cột relevant: …”. */
export function workbookProblemText(p: WorkbookProblem, lang: Lang): string {
  const problem = translate(lang, p.message.key, p.message.params);
  if (p.row === undefined) return translate(lang, 'workbook.atSheet', { sheet: p.sheet, problem });
  if (p.column === undefined) return translate(lang, 'workbook.atRow', { sheet: p.sheet, row: p.row, problem });
  return translate(lang, 'workbook.at', { sheet: p.sheet, row: p.row, column: p.column, problem });
}

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
