import { Router, type Request, type Response } from 'express';
import { requirePermission } from '../auth/index.js';
import { can } from '../auth/policy.js';
import type { Db } from '../db/client.js';
import { notFound } from '../http/errors.js';
import { flash, settle } from '../http/flash.js';
import { singleSmallFile } from '../http/uploads.js';
import { strictUtf8 } from '../text.js';
import type { Message } from '../i18n/index.js';
import type { Result } from '../result.js';
import { isState, nextState, rolesForNext } from '../campaigns/lifecycle.js';
import { validateCampaign, validateCommittee, validateLetter, validateReportHeader, validateUnit } from '../campaigns/schemas.js';
import * as campaigns from '../campaigns/service.js';
import { committeeCandidates, committeeIds, listUnitLinks } from '../campaigns/queries.js';
import { campaignKeyFingerprint, committeeReadiness } from '../sealing/index.js';
import { shippedCatalog } from '../questionnaires/index.js';
import { ratesByUnit } from '../invitations/queries.js';
import { findPlan } from '../sampling/queries.js';
import { stageChecklist, transition } from './transition.js';

/**
 * `mixKey`: closing fieldwork takes the last pending envelopes out of the mixing layer; `approvals`: the
 * unsealing approvals held for a campaign (the checklist shows them); `notify`: tells the committee what is
 * needed of it once a change has committed (keys after it is chosen, approvals after close).
 */
export function campaignRoutes(
  db: Db,
  mixKey: Buffer,
  approvals: (campaignId: string) => Promise<number> = async () => 0,
  notify: (event: 'keysNeeded' | 'approvalNeeded', campaignId: string) => void = () => undefined,
): Router {
  const router = Router();
  const view = requirePermission('campaign.view');
  const manage = requirePermission('campaign.manage');

  router.get('/', async (req, res) => {
    const all = await campaigns.listCampaigns(db);
    res.render('pages/home', { campaigns: all, todos: req.staff ? await todosOf(req.staff, all) : [] });
  });

  /** What this member of staff has to do now, campaign by campaign, each with where to do it. */
  async function todosOf(staff: NonNullable<Request['staff']>, all: Awaited<ReturnType<typeof campaigns.listCampaigns>>) {
    const todos: { title: string; task: Message; href: string }[] = [];
    for (const campaign of all.filter((c) => c.state !== 'published')) {
      const onCommittee = (await committeeIds(db, campaign.id)).includes(staff.id);
      const base = `/campaigns/${campaign.id}`;
      if (staff.role === 'unit_contact' && campaign.state === 'sampling' && !(await findPlan(db, campaign.id))?.frozenAt) {
        const theirs = (await campaigns.listUnits(db, campaign.id)).some((u) => staff.unitCodes.includes(u.code));
        if (theirs) todos.push({ title: campaign.title, task: { key: 'todo.sendList' }, href: '/lists' });
      }
      if (onCommittee && campaign.state === 'closed') todos.push({ title: campaign.title, task: { key: 'todo.approve' }, href: `${base}/unseal` });
      if (onCommittee && campaign.state === 'unsealed') todos.push({ title: campaign.title, task: { key: staff.role === 'chair' ? 'todo.publish' : 'todo.read' }, href: `${base}/results/sealed` });
      if (can(staff.role, 'campaign.manage') && rolesForNext(campaign.state).includes(staff.role)) {
        const stage = await stageChecklist(db, campaign, { unsealApprovals: await approvals(campaign.id) });
        const open = stage.items.find((i) => !i.done && i.who.includes(staff.role));
        todos.push({ title: campaign.title, task: open ? { key: open.step } : { key: 'checklist.next', params: { state: `state.${stage.next}` } }, href: base });
      }
    }
    return todos;
  }

  async function renderList(res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const methodologies = [...shippedCatalog().methodologies.values()].reverse().map((m) => ({ version: m.version, blocks: m.blocks.map((b) => b.name[res.locals.lang as 'vi' | 'en']).join(', ') }));
    res.status(status).render('pages/campaigns', { campaigns: await campaigns.listCampaigns(db), methodologies, ...extra });
  }

  router.get('/campaigns', view, (_req, res) => renderList(res));

  router.post('/campaigns', manage, async (req, res) => {
    const form = validateCampaign(req.body);
    if (!form.ok) return renderList(res, { errors: form.errors, values: req.body }, 422);
    const created = await campaigns.createCampaign(db, req.staff!.username, form.value);
    if (!created.ok) return renderList(res, { problem: created.error, values: req.body }, 409);
    res.redirect(303, `/campaigns/${created.value}`);
  });

  /** The campaign page, re-rendered with what the last form got wrong. */
  async function renderCampaign(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const campaign = await campaigns.findCampaign(db, String(req.params.id));
    if (!campaign) throw notFound('campaigns.notFound');
    const [units, candidates, chosenIds, fingerprint] = await Promise.all([
      campaigns.listUnits(db, campaign.id),
      committeeCandidates(db),
      committeeIds(db, campaign.id),
      campaignKeyFingerprint(db, campaign.id),
    ]);
    const withoutKeys = new Set((await committeeReadiness(db, campaign.id)).withoutKeyIds);
    const previous = campaign.previousCampaignId ? await campaigns.findCampaign(db, campaign.previousCampaignId) : undefined;
    const links = previous ? await listUnitLinks(db, campaign.id) : [];
    const next = nextState(campaign.state);
    const stage = await stageChecklist(db, campaign, { unsealApprovals: await approvals(campaign.id) });
    res.status(status).render('pages/campaign', {
      stage,
      campaign,
      previous,
      links: units.map((u) => ({ code: u.code, name: req.lang === 'en' ? u.nameEn : u.nameVi, previous: links.filter((l) => l.code === u.code).map((l) => l.previous).join(', ') })),
      linksText: extra.linksText ?? links.map((l) => `${l.code},${l.previous}`).join('\n'),
      // Each block's questionnaire by its title (its code and hash are on the design and transparency pages).
      forms: campaigns.campaignBlocks(campaign).map((b) => `${b.name[req.lang]} — ${shippedCatalog().questionnaires.get(b.questionnaire)?.title[req.lang] ?? b.questionnaire}`).join('; '),
      blocks: campaigns.campaignBlocks(campaign).map((b) => ({ code: b.code, name: b.name[req.lang], units: units.filter((u) => u.block === b.code) })),
      isDraft: campaign.state === 'draft',
      candidates: candidates.map((c) => ({ ...c, chosen: chosenIds.includes(c.id), noKey: withoutKeys.has(c.id) })),
      committee: candidates.filter((c) => chosenIds.includes(c.id)).map((c) => ({ ...c, noKey: withoutKeys.has(c.id) })),
      fingerprint,
      canApprove: campaign.state === 'closed' && can(req.staff!.role, 'unseal.approve') && chosenIds.includes(req.staff!.id),
      canManage: can(req.staff!.role, 'campaign.manage'),
      next: next && rolesForNext(campaign.state).includes(req.staff!.role) ? next : null,
      ...extra,
    });
  }

  router.get('/campaigns/:id', view, (req, res) => renderCampaign(req, res));

  /** After a change: back to the page with a notice, or the page again with the refusal. */
  const respond = (req: Request, res: Response, result: Result<unknown>, notice?: Message, extra: Record<string, unknown> = {}) =>
    settle(res, result, `/campaigns/${String(req.params.id)}`, notice, (problem, status) => renderCampaign(req, res, { problem, ...extra }, status));

  router.post('/campaigns/:id/units', manage, async (req, res) => {
    const form = validateUnit(req.body);
    if (!form.ok) return renderCampaign(req, res, { unitErrors: form.errors, unitValues: req.body }, 422);
    const added = await campaigns.addUnit(db, req.staff!.username, String(req.params.id), form.value);
    await respond(req, res, added, { key: 'units.added', params: { code: form.value.code } }, { unitValues: req.body });
  });

  router.post('/campaigns/:id/units/import', manage, singleSmallFile('file'), async (req, res) => {
    if (!req.file) return renderCampaign(req, res, { problem: { key: 'units.noFile' } }, 422);
    const text = strictUtf8(req.file.buffer);
    if (text === null) return renderCampaign(req, res, { problem: { key: 'csv.notUtf8' } }, 422);
    const imported = await campaigns.importUnits(db, req.staff!.username, String(req.params.id), text);
    if (!imported.ok && imported.rowErrors) return renderCampaign(req, res, { problem: imported.error, rowErrors: imported.rowErrors }, 422);
    await respond(req, res, imported, imported.ok ? { key: 'units.imported', params: { count: imported.value } } : undefined);
  });

  router.post('/campaigns/:id/units/:unitId/delete', manage, async (req, res) => {
    const deleted = await campaigns.deleteUnit(db, req.staff!.username, String(req.params.id), String(req.params.unitId));
    await respond(req, res, deleted, deleted.ok ? { key: 'units.deleted', params: { code: deleted.value } } : undefined);
  });

  router.post('/campaigns/:id/follow-up', manage, async (req, res) => {
    const created = await campaigns.createFollowUp(db, req.staff!.username, String(req.params.id));
    if (!created.ok) return respond(req, res, created);
    flash(res, { key: 'series.created' });
    res.redirect(303, `/campaigns/${created.value}`);
  });

  router.post('/campaigns/:id/links', manage, async (req, res) => {
    const linked = await campaigns.setUnitLinks(db, req.staff!.username, String(req.params.id), String(req.body?.links ?? '').slice(0, 100_000));
    if (!linked.ok && linked.rowErrors) return renderCampaign(req, res, { problem: linked.error, rowErrors: linked.rowErrors, linksText: req.body?.links }, 422);
    await respond(req, res, linked, linked.ok ? { key: 'series.linksSaved', params: { count: linked.value } } : undefined);
  });

  router.post('/campaigns/:id/report-header', manage, async (req, res) => {
    const form = validateReportHeader(req.body);
    if (!form.ok) return renderCampaign(req, res, { reportHeaderErrors: form.errors }, 422);
    await respond(req, res, await campaigns.setReportHeader(db, req.staff!.username, String(req.params.id), form.value), { key: 'report.headerSaved' });
  });

  router.post('/campaigns/:id/letter', manage, async (req, res) => {
    const form = validateLetter(req.body);
    if (!form.ok) return renderCampaign(req, res, { letterErrors: form.errors, letterValues: req.body }, 422);
    await respond(req, res, await campaigns.setLetterSettings(db, req.staff!.username, String(req.params.id), form.value), { key: 'letter.saved' });
  });

  router.post('/campaigns/:id/committee', manage, async (req, res) => {
    const form = validateCommittee(req.body);
    if (!form.ok) return renderCampaign(req, res, { committeeErrors: form.errors, committeeValues: req.body }, 422);
    await respond(req, res, await campaigns.setCommittee(db, req.staff!.username, String(req.params.id), form.value));
  });

  router.post('/campaigns/:id/committee/members', manage, async (req, res) => {
    const members: unknown = req.body?.members;
    const usernames = (Array.isArray(members) ? members : members === undefined ? [] : [members]).map(String).slice(0, 100);
    const saved = await campaigns.setCommitteeMembers(db, req.staff!.username, String(req.params.id), usernames);
    if (saved.ok) notify('keysNeeded', String(req.params.id));
    await respond(req, res, saved, { key: 'committee.saved' });
  });

  /**
   * Closing fieldwork cannot be undone: it has a page of its own saying what happens, with the answers so
   * far and the units that will not reach the ranking minimum; the move needs that page's confirmation.
   */
  router.get('/campaigns/:id/close', view, async (req, res) => {
    const campaign = await campaigns.findCampaign(db, String(req.params.id));
    if (!campaign) throw notFound('campaigns.notFound');
    if (campaign.state !== 'fieldwork') return res.redirect(303, `/campaigns/${campaign.id}`);
    const minimum = shippedCatalog().methodologies.get(campaign.methodologyVersion)?.minAnswersPerUnit ?? 0;
    const rates = await ratesByUnit(db, campaign.id);
    const names = new Map((await campaigns.listUnits(db, campaign.id)).map((u) => [u.code, req.lang === 'en' ? u.nameEn : u.nameVi]));
    const answered = rates.reduce((n, r) => n + r.answered, 0);
    const invited = rates.reduce((n, r) => n + r.invited, 0);
    res.render('pages/confirm-close', {
      campaign,
      answered,
      invited,
      rate: invited ? answered / invited : 0,
      minimum,
      short: rates.filter((r) => r.answered < minimum).map((r) => ({ code: r.unitCode, name: names.get(r.unitCode) ?? r.unitCode, answered: r.answered })),
      mayClose: rolesForNext('fieldwork').includes(req.staff!.role),
    });
  });

  /**
   * Opening fieldwork splits the campaign key among the committee and opens the survey to the access codes:
   * a page of its own says so, with who holds a share, before the move (which needs that page's confirmation).
   */
  router.get('/campaigns/:id/open', view, async (req, res) => {
    const campaign = await campaigns.findCampaign(db, String(req.params.id));
    if (!campaign) throw notFound('campaigns.notFound');
    if (campaign.state !== 'sampling') return res.redirect(303, `/campaigns/${campaign.id}`);
    const [candidates, chosen, readiness] = await Promise.all([committeeCandidates(db), committeeIds(db, campaign.id), committeeReadiness(db, campaign.id)]);
    const missing = new Set(readiness.withoutKeyIds);
    res.render('pages/confirm-open', {
      campaign,
      members: candidates.filter((c) => chosen.includes(c.id)).map((c) => ({ ...c, ready: !missing.has(c.id) })),
      ready: readiness.chosen > 0 && missing.size === 0,
      mayOpen: rolesForNext('sampling').includes(req.staff!.role),
    });
  });

  router.post('/campaigns/:id/transition', view, async (req, res) => {
    const to: unknown = req.body?.to;
    if (!isState(to)) return renderCampaign(req, res, { problem: { key: 'field.invalid' } }, 422);
    if (to === 'fieldwork' && req.body?.confirm !== 'yes' && rolesForNext('sampling').includes(req.staff!.role) && (await campaigns.findCampaign(db, String(req.params.id)))?.state === 'sampling') {
      return res.redirect(303, `/campaigns/${String(req.params.id)}/open`);
    }
    // A legal close without the confirmation page's answer goes to that page (an illegal one is refused below).
    if (to === 'closed' && req.body?.confirm !== 'yes' && rolesForNext('fieldwork').includes(req.staff!.role) && (await campaigns.findCampaign(db, String(req.params.id)))?.state === 'fieldwork') {
      return res.redirect(303, `/campaigns/${String(req.params.id)}/close`);
    }
    const moved = await transition(db, req.staff!, String(req.params.id), to, { mixKey });
    if (moved.ok && to === 'closed') notify('approvalNeeded', String(req.params.id));
    if (!moved.ok && moved.error.key === 'transition.roleRefused') {
      return renderCampaign(req, res, { problem: moved.error }, 403);
    }
    await respond(req, res, moved, { key: 'campaigns.moved', params: { state: `state.${to}` } });
  });

  return router;
}
