import { Router, type Request, type Response } from 'express';
import { requirePermission } from '../auth/index.js';
import { listCampaigns, listUnits } from '../campaigns/queries.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { notFound } from '../http/errors.js';
import { settle } from '../http/flash.js';
import type { Message } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import type { Result } from '../result.js';
import { importValidRows, startFrameImport } from './frame-import.js';
import { frameUpload, importView, sendImportErrors } from './frame-pages.js';
import * as q from './queries.js';

/**
 * A unit contact's pages (docs/design.md §5): for each campaign in sampling that surveys one of its units,
 * the lists of the businesses its units dealt with — each unit's list in use, the upload, its progress and
 * bad rows. Nothing else: not the sample, the codes, other units' lists or any answer.
 */
export function unitListRoutes(db: Db, config: Config, logger: Logger): Router {
  const router = Router();
  const contact = requirePermission('lists.upload');
  const upload = frameUpload(config);

  async function render(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const own = new Set(req.staff!.unitCodes);
    const campaigns = [];
    for (const campaign of (await listCampaigns(db)).filter((c) => c.state === 'sampling')) {
      const units = (await listUnits(db, campaign.id)).filter((u) => own.has(u.code));
      if (!units.length) continue;
      const [plan, mine, lists] = await Promise.all([
        q.findPlan(db, campaign.id),
        q.latestImport(db, campaign.id, { contact: req.staff!.username }),
        q.latestUnitLists(db, campaign.id),
      ]);
      const listOf = new Map(lists.map((l) => [l.unitCode, l]));
      campaigns.push({
        campaign,
        frozen: Boolean(plan?.frozenAt),
        units: units.map((u) => ({ code: u.code, name: req.lang === 'en' ? u.nameEn : u.nameVi, list: listOf.get(u.code) })),
        ...(await importView(db, mine)),
      });
    }
    res.status(status).render('pages/unit-lists', { campaigns, running: campaigns.some((c) => c.running), ...extra });
  }

  const after = (req: Request, res: Response, result: Result<unknown>, notice?: Message) =>
    settle(res, result, '/lists', notice, (problem, status) => render(req, res, { problem }, status));

  /** The contact's own import of a campaign, or 404 (another's import is not found, not forbidden). */
  async function ownImport(req: Request) {
    const job = await q.findImport(db, String(req.params.id), String(req.params.importId));
    if (!job?.unitCodes || job.createdBy !== req.staff!.username) throw notFound();
    return job;
  }

  router.get('/lists', contact, (req, res) => render(req, res));

  router.post('/lists/:id', contact, upload, async (req, res) => {
    if (!req.file) return render(req, res, { problem: { key: 'frame.noFile' } }, 422);
    const started = await startFrameImport(db, logger, req.staff!.username, String(req.params.id), { path: req.file.path, name: req.file.originalname, size: req.file.size }, req.staff!.unitCodes);
    await after(req, res, started);
  });

  router.get('/lists/:id/imports/:importId/errors.csv', contact, async (req, res) => sendImportErrors(db, res, await ownImport(req)));

  router.post('/lists/:id/imports/:importId/accept', contact, async (req, res) => {
    const job = await ownImport(req);
    const merged = await importValidRows(db, req.staff!.username, job.campaignId, job.id, req.staff!.username);
    await after(req, res, merged, merged.ok ? { key: 'lists.imported', params: { rows: job.rowsValid } } : undefined);
  });

  return router;
}
