import { once } from 'node:events';
import { Router, type Request, type Response } from 'express';
import { recordAudit } from '../audit/index.js';
import { requirePermission } from '../auth/index.js';
import { findCampaign, listUnitLinks, listUnits } from '../campaigns/queries.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { notFound } from '../http/errors.js';
import { settle } from '../http/flash.js';
import type { Message } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import type { Result } from '../result.js';
import { shippedCatalog } from '../questionnaires/index.js';
import { DEFAULT_DESIGN, type UnitPlan } from './design.js';
import { plannedPrecision, type PastUnit } from './precision.js';
import { freezeFrame, importValidRows, startFrameImport } from './frame-import.js';
import { mergedFrameCsv } from './frame-export.js';
import { frameSources, frameUpload, importView, sendImportErrors } from './frame-pages.js';
import { commitSeed, drawCampaignSample, saveDesign, type StoredDesign } from './plan.js';
import * as q from './queries.js';
import { designFromForm, validateDesignForm, validateDraw, validateSeed } from './schemas.js';

/** A published campaign's DDCI per unit, as the publication capability (above this one) gives it. */
export type PublishedComposites = (campaignId: string) => Promise<{ unit: string; respondents: number; composite: number | null; compositeCi: [number, number] | null }[] | null>;

/**
 * `invitationCount`: how many invitations the campaign has (the invitations capability, above this one,
 * makes them from the sample; the sampling page only shows the number). `published`: last year's published
 * figures, for the precision the design can expect.
 */
export function samplingRoutes(db: Db, config: Config, logger: Logger, invitationCount: (campaignId: string) => Promise<{ invitations: number; units: number }>, published: PublishedComposites): Router {
  const router = Router();
  const manage = requirePermission('sampling.manage');
  const upload = frameUpload(config);

  async function render(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const campaignId = String(req.params.id);
    // The import first: it ends in the transaction that stores its strata, so an import read as finished is
    // never shown beside the frame as it was before it.
    const latest = await q.latestImport(db, campaignId);
    const campaign = await findCampaign(db, campaignId);
    if (!campaign) throw notFound('campaigns.notFound');
    const [plan, invitations, sources] = await Promise.all([q.findPlan(db, campaignId), invitationCount(campaignId), frameSources(db, campaignId, req.lang)]);
    const design = plan?.design as unknown as StoredDesign | undefined;
    const precision = await precisionOf(campaign, design);
    const merged = plan?.importId ? await q.findImport(db, campaignId, plan.importId) : undefined;
    const shown = await importView(db, latest);
    res.status(status).render('pages/sampling', {
      campaign,
      editable: campaign.state === 'sampling',
      plan,
      ...shown,
      merged: merged?.mergeReport,
      sources,
      // Refresh while the file shown is still being read (as read above), or a unit's list is.
      anyRunning: shown.running || (await q.latestImport(db, campaignId, 'any'))?.status === 'running',
      params: design?.params ?? DEFAULT_DESIGN,
      plans: design?.plans.map((p) => ({ ...p, precision: precision?.byUnit.get(p.unitCode) })),
      precision,
      totals: design && {
        frameSize: design.plans.reduce((a, p) => a + p.frameSize, 0),
        planned: design.plans.reduce((a, p) => a + p.planned, 0),
        expectedAnswers: design.plans.reduce((a, p) => a + p.expectedAnswers, 0),
      },
      invitations,
      ...extra,
    });
  }

  /** Last year's figures of each unit, by this year's code (through the unit links, else the same code). */
  async function pastUnits(campaignId: string, previousId: string | null): Promise<Map<string, PastUnit> | undefined> {
    if (!previousId) return undefined;
    const [figures, plan, links] = await Promise.all([published(previousId), q.findPlan(db, previousId), listUnitLinks(db, campaignId)]);
    if (!figures) return undefined;
    const plans = new Map(((plan?.design as unknown as StoredDesign | undefined)?.plans ?? []).map((p) => [p.unitCode, p]));
    const byCode = new Map(figures.map((f) => [f.unit, f]));
    const previousOf = new Map<string, string[]>();
    for (const l of links) previousOf.set(l.code, [...(previousOf.get(l.code) ?? []), l.previous]);
    const past = new Map<string, PastUnit>();
    for (const code of new Set([...figures.map((f) => f.unit), ...previousOf.keys()])) {
      const previous = previousOf.get(code) ?? [code];
      if (previous.length !== 1) continue; // a merged unit has no one last year to learn from
      const f = byCode.get(previous[0]!);
      const p = plans.get(previous[0]!);
      if (f) past.set(code, { respondents: f.respondents, composite: f.composite, compositeCi: f.compositeCi, planned: p?.planned ?? null, frameSize: p?.frameSize ?? null });
    }
    return past;
  }

  async function precisionOf(campaign: { id: string; previousCampaignId: string | null; methodologyVersion: string }, design: StoredDesign | undefined) {
    const methodology = shippedCatalog().methodologies.get(campaign.methodologyVersion);
    if (!design?.plans.length || !methodology) return null;
    const [units, past] = await Promise.all([listUnits(db, campaign.id), pastUnits(campaign.id, campaign.previousCampaignId)]);
    const blockOf = new Map(units.map((u) => [u.code, u.block]));
    const result = plannedPrecision({ plans: design.plans as UnitPlan[], blockOf, methodology, confidence: design.params.confidence, responseRate: design.params.expectedResponseRate, ...(past ? { past } : {}) });
    const names = new Map(methodology.blocks.map((b) => [b.code, b.name]));
    return {
      byUnit: new Map(result.units.map((u) => [u.unitCode, u])),
      blocks: methodology.blocks.flatMap((b) => result.blocks.filter((x) => x.block === b.code).map((x) => ({ ...x, name: names.get(x.block) }))),
      fromLastYear: Boolean(past?.size),
    };
  }

  /** After a step: back to the page with its notice, or the page again with the refusal. */
  const after = (req: Request, res: Response, result: Result<unknown>, notice?: Message) =>
    settle(res, result, `/campaigns/${String(req.params.id)}/sampling`, notice, (problem, status) => render(req, res, { problem }, status));

  router.get('/campaigns/:id/sampling', manage, (req, res) => render(req, res));

  router.post('/campaigns/:id/frame', manage, upload, async (req, res) => {
    if (!req.file) return render(req, res, { problem: { key: 'frame.noFile' } }, 422);
    const started = await startFrameImport(db, logger, req.staff!.username, String(req.params.id), {
      path: req.file.path,
      name: req.file.originalname,
      size: req.file.size,
    });
    await after(req, res, started);
  });

  router.get('/campaigns/:id/frame/imports/:importId/errors.csv', manage, async (req, res) => {
    const job = await q.findImport(db, String(req.params.id), String(req.params.importId));
    if (!job) throw notFound();
    await sendImportErrors(db, res, job);
  });

  router.post('/campaigns/:id/frame/imports/:importId/accept', manage, async (req, res) => {
    const merged = await importValidRows(db, req.staff!.username, String(req.params.id), String(req.params.importId));
    await after(req, res, merged, merged.ok ? { key: 'frame.imported', params: { businesses: merged.value.businesses, dealings: merged.value.dealings } } : undefined);
  });

  /** The merged frame in the import format: what `ddci sample verify --frame` re-draws from. Personal data: audited. */
  router.get('/campaigns/:id/frame.csv', manage, async (req, res) => {
    const campaign = await findCampaign(db, String(req.params.id));
    if (!campaign) throw notFound('campaigns.notFound');
    await db.transaction((tx) => recordAudit(tx, { actor: req.staff!.username, action: 'frame.exported', campaignId: campaign.id }));
    res.type('text/csv; charset=utf-8').attachment(`khung-mau-${campaign.year}.csv`);
    for await (const chunk of mergedFrameCsv(db, campaign.id)) if (!res.write(chunk)) await once(res, 'drain');
    res.end();
  });

  router.post('/campaigns/:id/frame/freeze', manage, async (req, res) => {
    const frozen = await freezeFrame(db, req.staff!.username, String(req.params.id));
    await after(req, res, frozen);
  });

  router.post('/campaigns/:id/design', manage, async (req, res) => {
    const form = validateDesignForm(req.body);
    if (!form.ok) return render(req, res, { designErrors: form.errors, params: req.body }, 422);
    const saved = await saveDesign(db, req.staff!.username, String(req.params.id), designFromForm(form.value));
    await after(req, res, saved, { key: 'design.saved' });
  });

  router.post('/campaigns/:id/seed', manage, async (req, res) => {
    const form = validateSeed(req.body);
    if (!form.ok) return render(req, res, { seedErrors: form.errors }, 422);
    const committed = await commitSeed(db, req.staff!.username, String(req.params.id), form.value);
    await after(req, res, committed, committed.ok ? { key: 'draw.committed', params: { commitment: committed.value } } : undefined);
  });

  router.post('/campaigns/:id/draw', manage, async (req, res) => {
    const form = validateDraw(req.body);
    if (!form.ok) return render(req, res, { drawErrors: form.errors }, 422);
    const drawn = await drawCampaignSample(db, req.staff!.username, String(req.params.id), form.value.publicValue);
    await after(req, res, drawn, drawn.ok ? { key: 'draw.drawn', params: { sample: drawn.value.sample, reserve: drawn.value.reserve } } : undefined);
  });

  return router;
}
