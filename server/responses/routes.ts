import { Router, type Request, type Response } from 'express';
import { answerSignals, can, requirePermission, staffAddressKey } from '../auth/index.js';
import type { Config } from '../config.js';
import { attemptLimiter } from '../http/rate-limit.js';
import { notFound } from '../http/errors.js';
import type { Message } from '../i18n/index.js';
import { answerSchema, minutesToAnswer, questionnaireKey } from '../questionnaires/index.js';
import { draftKey } from '../sealing/index.js';
import { formView } from './form-view.js';
import {
  campaignClosedMessage,
  newNonce,
  pinnedQuestionnaire,
  RESPONSE_MODES,
  responseService,
  type ResponseMode,
  type SurveyContext,
} from './service.js';

/**
 * The respondent's journey (access code → units → one form per unit → receipt) and the enumerators' entry
 * of phone, paper and in-person answers into the same forms. Who is answering lives in a signed cookie
 * (invitation, campaign and, for an enumerator, the mode), never in a server-side session.
 */
const SURVEY_COOKIE = 'ddci_survey';
const RECEIPT_COOKIE = 'ddci_receipt';
const SURVEY_HOURS = 4;

interface Respondent {
  invitationId: string;
  campaignId: string;
  mode: ResponseMode;
}

export function responseRoutes(ctx: SurveyContext, config: Config): Router {
  const router = Router();
  const { db } = ctx;
  const service = responseService(ctx);
  const signalsOf = answerSignals(db, staffAddressKey(config.hmacSecret));
  const codeLimit = attemptLimiter(db, 'access-code', 10, 15);
  /** Wrong codes count against the client; a used-up code gets the same answer and is not counted. */
  const outcomeOf = (opened: Awaited<ReturnType<typeof service.open>>) => (opened === null ? 'failure' : opened === 'used' ? 'neutral' : 'success');
  const cookieOptions = { signed: true, httpOnly: true, sameSite: 'lax' as const, secure: config.cookieSecure, path: '/survey' };
  // Respondents need no account: their pages offer no staff sign-in.
  router.use('/survey', (_req, res, next) => {
    res.locals.respondentPage = true;
    next();
  });

  function respondentOf(req: Request): Respondent | null {
    const raw: unknown = req.signedCookies?.[SURVEY_COOKIE];
    if (typeof raw !== 'string') return null;
    try {
      const value = JSON.parse(raw) as Respondent;
      // Phone, paper and in-person entry last only as long as the enumerator's own session.
      if (value.mode !== 'online' && !(req.staff && can(req.staff.role, 'responses.enter'))) return null;
      return value;
    } catch {
      return null;
    }
  }

  function begin(res: Response, respondent: Respondent) {
    res.cookie(SURVEY_COOKIE, JSON.stringify(respondent), { ...cookieOptions, maxAge: SURVEY_HOURS * 3600_000 });
    res.redirect(303, '/survey/units');
  }

  const codePage = (res: Response, status = 200, extra: Record<string, unknown> = {}) =>
    res.status(status).render('pages/survey-code', { title: res.locals.t('survey.title'), ...extra });

  async function enterCode(req: Request, res: Response, typed: string) {
    const opened = await service.open(typed);
    if (!(await codeLimit.settle(req, res, outcomeOf(opened)))) return;
    if (!opened || opened === 'used') return codePage(res, 400, { problem: { key: 'survey.badCode' }, code: typed });
    begin(res, { ...opened, mode: 'online' });
  }

  router.get('/survey', codeLimit.gate, async (req, res) => {
    if (typeof req.query.code === 'string') return enterCode(req, res, req.query.code);
    codePage(res, 200, { resume: Boolean(respondentOf(req)) });
  });
  router.post('/survey', codeLimit.gate, (req, res) => enterCode(req, res, String(req.body?.code ?? '')));

  router.post('/survey/leave', (_req, res) => {
    res.clearCookie(SURVEY_COOKIE, { path: '/survey' });
    res.redirect(303, '/survey');
  });

  async function unitsPage(req: Request, res: Response, respondent: Respondent, status = 200, problem?: Message) {
    const overview = await service.overview(respondent.invitationId);
    if (!overview) return codePage(res, 400, { problem: { key: 'survey.badCode' } });
    const closed = campaignClosedMessage(overview.campaign.state);
    res.status(status).render('pages/survey-units', {
      title: overview.campaign.title,
      campaign: overview.campaign,
      closed: closed ? { key: closed } : null,
      problem,
      mode: respondent.mode,
      units: overview.units.map((u) => ({ ...u, name: req.lang === 'en' ? u.nameEn : u.nameVi })),
      remaining: overview.units.filter((u) => u.status === 'invited').length,
    });
  }

  router.get('/survey/units', async (req, res) => {
    const respondent = respondentOf(req);
    if (!respondent) return res.redirect(303, '/survey');
    await unitsPage(req, res, respondent);
  });

  async function formPage(req: Request, res: Response, respondent: Respondent, options: { nonce?: string; body?: Record<string, unknown>; errors?: Record<string, Message>; status?: number } = {}) {
    const overview = await service.overview(respondent.invitationId);
    const unit = overview?.units.find((u) => u.unitCode === req.params.unit);
    if (!overview || !unit) return unitsPage(req, res, respondent, 404, { key: 'survey.unitNotInvited' });
    const closed = campaignClosedMessage(overview.campaign.state);
    if (closed) return unitsPage(req, res, respondent, 409, { key: closed });
    if (unit.status !== 'invited') return unitsPage(req, res, respondent, 409, { key: unit.status === 'answered' ? 'survey.alreadyAnswered' : 'survey.unitReplaced' });
    const questionnaire = pinnedQuestionnaire(ctx.catalog, overview.campaign, unit.block);
    const errors = options.errors ?? {};
    res.status(options.status ?? 200).render('pages/survey-form', {
      title: req.lang === 'en' ? unit.nameEn : unit.nameVi,
      campaign: overview.campaign,
      unit: { ...unit, name: req.lang === 'en' ? unit.nameEn : unit.nameVi },
      questionnaire: { key: questionnaireKey(questionnaire), title: questionnaire.title[req.lang], intro: questionnaire.intro?.[req.lang] },
      sections: formView(questionnaire, req.lang, options.body, errors),
      errorCount: Object.keys(errors).length,
      nonce: options.nonce ?? newNonce(),
      mode: respondent.mode,
      draftKey: draftKey(ctx.submissionKey, respondent.invitationId, unit.unitCode),
      schema: answerSchema(questionnaire),
      minutes: minutesToAnswer(questionnaire),
    });
  }

  router.get('/survey/units/:unit', async (req, res) => {
    const respondent = respondentOf(req);
    if (!respondent) return res.redirect(303, '/survey');
    await formPage(req, res, respondent);
  });

  router.post('/survey/units/:unit', async (req, res) => {
    const respondent = respondentOf(req);
    if (!respondent) return codePage(res, 401, { problem: { key: 'survey.sessionEnded' } });
    const body = (req.body ?? {}) as Record<string, unknown>;
    const nonce = String(body._nonce ?? '');
    const outcome = await service.submit({
      campaignId: respondent.campaignId,
      invitationId: respondent.invitationId,
      unitCode: String(req.params.unit),
      nonce,
      mode: respondent.mode,
      body,
      enumerator: respondent.mode === 'online' ? undefined : req.staff?.username,
      // An online answer from a browser or address staff use is counted (never marked on the answer).
      signals: respondent.mode === 'online' ? await signalsOf({ staffSession: Boolean(req.staff), address: req.ip }) : [],
    });
    if (outcome.ok) {
      res.cookie(RECEIPT_COOKIE, JSON.stringify({ unit: req.params.unit, receipt: outcome.receipt }), { ...cookieOptions, maxAge: 3600_000 });
      return res.redirect(303, `/survey/units/${encodeURIComponent(String(req.params.unit))}/receipt`);
    }
    if ('errors' in outcome) return formPage(req, res, respondent, { nonce, body, errors: outcome.errors, status: 422 });
    await unitsPage(req, res, respondent, 409, outcome.refusal);
  });

  router.get('/survey/units/:unit/receipt', async (req, res) => {
    const respondent = respondentOf(req);
    const raw: unknown = req.signedCookies?.[RECEIPT_COOKIE];
    const kept = typeof raw === 'string' ? (JSON.parse(raw) as { unit: string; receipt: string }) : null;
    if (!respondent || !kept || kept.unit !== req.params.unit) return res.redirect(303, respondent ? '/survey/units' : '/survey');
    const overview = await service.overview(respondent.invitationId);
    const unit = overview?.units.find((u) => u.unitCode === kept.unit);
    res.render('pages/survey-receipt', {
      title: res.locals.t('survey.receiptTitle'),
      campaign: overview?.campaign,
      unit: unit ? { ...unit, name: req.lang === 'en' ? unit.nameEn : unit.nameVi } : { unitCode: kept.unit, name: kept.unit },
      receipt: kept.receipt,
      receiptGroups: kept.receipt.match(/.{1,8}/g),
      remaining: overview?.units.filter((u) => u.status === 'invited').length ?? 0,
    });
  });

  /** The receipt as a small text file to keep: it is public (the bulletin lists it), so no session is needed. */
  router.get('/survey/receipt/:receipt.txt', (req, res) => {
    const receipt = String(req.params.receipt);
    if (!/^[0-9a-f]{64}$/.test(receipt)) throw notFound();
    const t = res.locals.t;
    const text = [t('survey.receiptTitle'), '', `${t('survey.receipt')}: ${receipt.match(/.{1,8}/g)!.join(' ')}`, '', t('survey.receiptHelp'), `${config.publicUrl}/campaigns`].join('\r\n');
    res.type('text/plain; charset=utf-8').attachment(`bien-nhan-${receipt.slice(0, 8)}.txt`).send(`\uFEFF${text}\r\n`);
  });

  // Enumerators: phone, paper and in-person answers, typed into the same forms under the business's code.
  const enter = requirePermission('responses.enter');
  const entryPage = (req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) =>
    res.status(status).render('pages/survey-entry', { campaignId: req.params.id, modes: RESPONSE_MODES.filter((m) => m !== 'online'), ...extra });

  router.get('/campaigns/:id/entry', enter, (req, res) => entryPage(req, res));
  router.post('/campaigns/:id/entry', enter, codeLimit.gate, async (req, res) => {
    const mode = String(req.body?.mode ?? '') as ResponseMode;
    if (!RESPONSE_MODES.includes(mode) || mode === 'online') return entryPage(req, res, 422, { modeError: { key: 'survey.chooseMode' }, code: req.body?.code });
    const opened = await service.open(String(req.body?.code ?? ''));
    if (!(await codeLimit.settle(req, res, outcomeOf(opened)))) return;
    if (!opened || opened === 'used' || opened.campaignId !== req.params.id) return entryPage(req, res, 400, { problem: { key: 'survey.badCode' }, code: req.body?.code, mode });
    begin(res, { ...opened, mode });
  });

  return router;
}
