import { Router, type Request, type Response } from 'express';
import type { JSONSchemaType } from 'ajv';
import { requirePermission } from '../auth/index.js';
import { campaignLookup } from '../campaigns/lookup.js';
import { listUnits } from '../campaigns/queries.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { notFound } from '../http/errors.js';
import { settle } from '../http/flash.js';
import { formValidator } from '../http/validation.js';
import type { Logger } from '../logger.js';
import type { Result } from '../result.js';
import type { CodeKeys } from '../sampling/access-codes.js';
import type { Message } from '../i18n/index.js';
import type { Mailer } from './mailer.js';
import type { SmsGateway } from './sms.js';
import { fieldworkProgress, SORT_KEYS } from './monitoring.js';
import { shippedCatalog } from '../questionnaires/index.js';
import { CALL_OUTCOMES, callList, noteCall } from './calls.js';
import * as invitations from './service.js';

interface ReplaceForm {
  taxCode: string;
  unitCode: string;
  reason: invitations.ReplacementReason;
}
const validateReplace = formValidator<ReplaceForm>(
  {
    type: 'object',
    properties: {
      taxCode: { type: 'string', pattern: '^\\d{10}(-\\d{3})?$' },
      unitCode: { type: 'string', minLength: 1, maxLength: 32 },
      reason: { type: 'string', enum: [...invitations.REPLACEMENT_REASONS] },
    },
    required: ['taxCode', 'unitCode', 'reason'],
  } as JSONSchemaType<ReplaceForm>,
  { taxCode: 'frame.taxCode' },
);

const LETTERS_PER_PAGE = 100;
/** Served stylesheets only: the strict CSP refuses inline styles (the fonts first, then the letters' layout). */
const LETTER_STYLES = ['/assets/vendor/tinos/400.css', '/assets/vendor/tinos/700.css', '/assets/vendor/tinos/400-italic.css', '/assets/letters.css'];
const SEARCH_LIMIT = 50;

export function invitationRoutes(db: Db, config: Config, keys: CodeKeys, mailer: Mailer | null, logger: Logger, sms: SmsGateway | null = null): Router {
  const router = Router();
  const manage = requirePermission('sampling.manage');
  const policy = { publicUrl: config.publicUrl, minIntervalHours: config.emailMinIntervalHours, maxPerInvitation: config.emailMaxPerInvitation };
  const campaignOf = campaignLookup(db);

  async function render(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const campaign = await campaignOf(req);
    const term = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
    const [counts, mailRun, batches, found] = await Promise.all([
      invitations.countInvitations(db, campaign.id),
      invitations.latestMailRun(db, campaign.id),
      invitations.letterBatches(db, campaign.id, LETTERS_PER_PAGE),
      term ? invitations.searchInvitations(db, campaign.id, term, SEARCH_LIMIT) : Promise.resolve(undefined),
    ]);
    const units = await listUnits(db, campaign.id);
    const nameOf = new Map(units.map((u) => [u.code, req.lang === 'en' ? u.nameEn : u.nameVi]));
    res.status(status).render('pages/invitations', {
      campaign,
      counts,
      mailRun,
      mailing: mailRun?.status === 'running',
      mailPercent: mailRun?.total ? Math.round((100 * (mailRun.sent + mailRun.skipped + mailRun.failed)) / mailRun.total) : 0,
      batches: batches.map((b) => ({ ...b, from: b.page * LETTERS_PER_PAGE + 1, to: b.page * LETTERS_PER_PAGE + b.letters })),
      search: term
        ? { term, more: found!.length === SEARCH_LIMIT, found: found!.map((f) => ({ ...f, units: f.units.map((u) => ({ ...u, name: nameOf.get(u.code) ?? u.code })) })) }
        : undefined,
      units,
      reasons: invitations.REPLACEMENT_REASONS,
      mail: Boolean(mailer),
      sms: Boolean(sms),
      ...extra,
    });
  }

  const after = (req: Request, res: Response, result: Result<unknown>, notice?: Message) =>
    settle(res, result, `/campaigns/${String(req.params.id)}/invitations`, notice, (problem, status) => render(req, res, { problem }, status));

  router.get('/campaigns/:id/invitations', manage, (req, res) => render(req, res));

  router.post('/campaigns/:id/invitations', manage, async (req, res) => {
    const created = await invitations.generateInvitations(db, keys, req.staff!.username, String(req.params.id));
    await after(req, res, created, created.ok ? { key: 'invitations.generated', params: { count: created.value } } : undefined);
  });

  router.get('/campaigns/:id/invitations/letters', manage, async (req, res) => {
    const campaign = await campaignOf(req);
    const page = Math.max(0, Number.parseInt(String(req.query.page ?? '0'), 10) || 0);
    const which = typeof req.query.invitation === 'string' ? { invitationId: req.query.invitation } : { page, perPage: LETTERS_PER_PAGE };
    const letters = await invitations.letters(db, keys, config.publicUrl, req.staff!.username, campaign.id, which);
    if (!letters.length) throw notFound();
    res.render('pages/letters', { layout: 'print', stylesheets: LETTER_STYLES, campaign, letters, letter: invitations.letterFrame(campaign.letterSettings), today: new Date() });
  });

  router.get('/campaigns/:id/invitations.csv', manage, async (req, res) => {
    const campaign = await campaignOf(req);
    const csv = await invitations.mailMergeCsv(db, keys, config.publicUrl, req.staff!.username, campaign.id);
    res.type('text/csv; charset=utf-8').attachment(`thu-moi-${campaign.province}-${campaign.year}.csv`).send(csv);
  });

  router.post('/campaigns/:id/invitations/emails', manage, async (req, res) => {
    if (!mailer) return render(req, res, { problem: { key: 'invitations.noSmtp' } }, 409);
    const mode = req.body?.mode === 'remind' ? 'remind' : 'invite';
    await after(req, res, await invitations.startMailRun(db, mailer, keys, logger, policy, req.staff!.username, String(req.params.id), mode));
  });

  /** Text-message reminders to businesses with units still to answer, in the background. */
  router.post('/campaigns/:id/invitations/sms', manage, async (req, res) => {
    if (!sms) return render(req, res, { problem: { key: 'invitations.noSms' } }, 409);
    await after(req, res, await invitations.startSmsRun(db, sms, keys, logger, policy, req.staff!.username, String(req.params.id)), { key: 'invitations.smsStarted' });
  });

  const unitOf = (req: Request) => (typeof req.query.unit === 'string' && req.query.unit ? req.query.unit.slice(0, 32) : undefined);

  /** Reminder letters (the letters' official layout) for the businesses that have not answered a unit yet. */
  router.get('/campaigns/:id/invitations/reminders', manage, async (req, res) => {
    const campaign = await campaignOf(req);
    const page = Math.max(0, Number.parseInt(String(req.query.page ?? '0'), 10) || 0);
    const letters = await invitations.letters(db, keys, config.publicUrl, req.staff!.username, campaign.id, { page, perPage: LETTERS_PER_PAGE }, { unit: unitOf(req) });
    if (!letters.length) return render(req, res, { problem: { key: 'invitations.nobodyToRemind' } }, 404);
    res.render('pages/letters', { layout: 'print', stylesheets: LETTER_STYLES, campaign, letters, reminder: true, letter: invitations.letterFrame(campaign.letterSettings), today: new Date() });
  });

  /** The enumerators' call list: whom to call, at which number, for which units; each call's outcome noted on it (or on paper). */
  const calls = requirePermission('calls.view');
  const renderCalls = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const campaign = await campaignOf(req);
    const unit = unitOf(req);
    const units = await listUnits(db, campaign.id);
    const rows = await callList(db, keys, req.staff!.username, campaign.id, unit);
    res.status(status).render('pages/call-list', { campaign, rows, unit, units, outcomes: CALL_OUTCOMES, editable: campaign.state === 'fieldwork', today: new Date(), ...extra });
  };
  router.get('/campaigns/:id/invitations/calls', calls, (req, res) => renderCalls(req, res));

  router.post('/campaigns/:id/invitations/calls/:invitationId', calls, async (req, res) => {
    const outcome = CALL_OUTCOMES.find((o) => o === req.body?.outcome);
    if (!outcome) return renderCalls(req, res, { problem: { key: 'field.invalid' } }, 422);
    const invitationId = String(req.params.invitationId);
    const noted = await noteCall(db, req.staff!.username, String(req.params.id), invitationId, outcome);
    const unit = typeof req.body?.unit === 'string' && req.body.unit ? `?unit=${encodeURIComponent(req.body.unit.slice(0, 32))}` : '';
    await settle(res, noted, `/campaigns/${String(req.params.id)}/invitations/calls${unit}#call-${invitationId}`, { key: 'calls.noted' }, (problem, status) => renderCalls(req, res, { problem }, status));
  });

  router.post('/campaigns/:id/invitations/replace', manage, async (req, res) => {
    const form = validateReplace(req.body);
    if (!form.ok) return render(req, res, { replaceErrors: form.errors, replaceValues: req.body }, 422);
    const replaced = await invitations.replaceFromReserve(db, keys, req.staff!.username, String(req.params.id), form.value);
    await after(
      req,
      res,
      replaced,
      replaced.ok
        ? { key: 'invitations.replaced', params: { old: form.value.taxCode, new: replaced.value.taxCode, position: replaced.value.position, unit: form.value.unitCode } }
        : undefined,
    );
  });

  router.get('/campaigns/:id/responses', requirePermission('responses.monitor'), async (req, res) => {
    const campaign = await campaignOf(req);
    const rates = await invitations.responseRates(db, campaign.id);
    const methodology = shippedCatalog().methodologies.get(campaign.methodologyVersion);
    const units = (await listUnits(db, campaign.id)).map((u) => ({ code: u.code, block: u.block, name: req.lang === 'en' ? u.nameEn : u.nameVi }));
    const blocks = (methodology?.blocks ?? []).map((b) => ({ code: b.code, name: b.name[req.lang] }));
    const sort = SORT_KEYS.find((k) => k === req.query.sort) ?? 'rate';
    const timing = await invitations.fieldworkTiming(db, campaign);
    const progress = fieldworkProgress(units, blocks, rates.units, methodology?.minAnswersPerUnit ?? 0, sort, timing);
    res.render('pages/responses', {
      campaign,
      progress,
      timing: { ...timing, curveKey: timing.lastYear ? 'dashboard.curve.lastYear' : 'dashboard.curve.default' },
      sorts: SORT_KEYS.map((key) => ({ key, current: key === sort })),
      days: rates.days,
      chart: { units: progress.blocks.flatMap((b) => b.units).map((u) => ({ label: u.name, rate: Math.round(u.rate * 1000) / 10 })), days: rates.days },
    });
  });

  return router;
}
