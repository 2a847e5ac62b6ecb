import { Router, type Request, type Response } from 'express';
import { requirePermission } from '../auth/index.js';
import { campaignLookup } from '../campaigns/lookup.js';
import type { Config } from '../config.js';
import { flash } from '../http/flash.js';
import { formRateLimit } from '../http/rate-limit.js';
import * as publication from './service.js';

/**
 * Unsealing runs and publication by the chair. The sealed results and the published reports are served by
 * the reports capability (server/reports/routes.ts).
 */
export function publicationRoutes(ctx: publication.PublicationContext, config: Config): Router {
  const router = Router();
  const { db } = ctx;
  const committee = requirePermission('unseal.approve');
  const passphraseLimit = formRateLimit(db, 'passphrase', config.loginRateLimit, config.loginRateWindowMinutes);
  const campaignOf = campaignLookup(db);
  router.post('/campaigns/:id/unseal/run', committee, async (req, res) => {
    const campaign = await campaignOf(req);
    const started = await publication.startUnsealing(ctx, req.staff!, campaign.id);
    if (!started.ok) flash(res, started.error);
    res.redirect(303, `/campaigns/${campaign.id}/unseal`);
  });

  const sealedPage = async (req: Request, res: Response, extra: Record<string, unknown>, status: number) =>
    res.status(status).render('pages/results-sealed', { campaign: await campaignOf(req), ...extra });

  router.post('/campaigns/:id/publish', requirePermission('results.publish'), passphraseLimit, async (req, res) => {
    const campaign = await campaignOf(req);
    if (req.body?.confirm !== 'yes') return sealedPage(req, res, { problem: { key: 'results.publishConfirmNeeded' } }, 422);
    const published = await publication.publish(db, campaign.id, req.staff!, String(req.body?.passphrase ?? ''));
    if (!published.ok) return sealedPage(req, res, { problem: published.error }, published.error.key === 'unseal.wrongPassphrase' ? 401 : 409);
    flash(res, { key: 'results.published' });
    res.redirect(303, `/campaigns/${campaign.id}/results`);
  });

  return router;
}

/** What the unseal page shows about scoring runs and the sealed results. */
export async function unsealingStatus(db: publication.PublicationContext['db'], campaignId: string) {
  const run = await publication.latestRun(db, campaignId);
  return {
    run,
    running: run?.status === 'running',
    runPercent: run?.total ? Math.round((100 * run.done) / run.total) : 0,
  };
}
