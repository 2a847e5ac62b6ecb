import { Router } from 'express';
import { findCampaign } from '../campaigns/queries.js';
import type { Db } from '../db/client.js';
import { notFound } from '../http/errors.js';
import { DRAW_ALGORITHM } from '../sampling/draw.js';
import { FRAME_HASH_VERSION } from '../sampling/frame-hash.js';
import { frameSources } from '../sampling/frame-pages.js';
import { findPlan } from '../sampling/queries.js';
import { campaignKeyFingerprint } from '../sealing/index.js';
import { findBulletin, receiptInBulletin } from './service.js';

/**
 * The public transparency page and the response bulletin: what anyone needs to check the sampling, the
 * key ceremony, the methodology and questionnaires it pinned (by hash) and, once fieldwork is closed, that their receipt is among the stored responses.
 */
export function transparencyRoutes(db: Db, pinned: (methodologyVersion: string) => { version: string; hash: string; questionnaires: { key: string; hash: string }[] } | undefined = () => undefined): Router {
  const router = Router();
  /** Public: what anyone needs to check the sampling (and, once run, the key ceremony). */
  router.get('/campaigns/:id/transparency', async (req, res) => {
    const campaign = await findCampaign(db, String(req.params.id));
    if (!campaign) throw notFound('campaigns.notFound');
    const plan = await findPlan(db, campaign.id);
    const bulletin = await findBulletin(db, campaign.id);
    const asked = typeof req.query.receipt === 'string' ? req.query.receipt.trim() : '';
    res.render('pages/transparency', {
      bulletin: bulletin && {
        hash: bulletin.hash,
        responses: bulletin.responses,
        counts: Object.entries(bulletin.content.counts).map(([unit, n]) => ({ unit, n })),
        staffSignals: bulletin.content.staffSignals && { session: bulletin.content.staffSignals['staff-session'] ?? 0, address: bulletin.content.staffSignals['staff-address'] ?? 0 },
      },
      receiptCheck: asked && bulletin ? { receipt: asked, found: await receiptInBulletin(db, campaign.id, asked) } : null,
      campaign,
      pinned: pinned(campaign.methodologyVersion),
      plan,
      // Once frozen, the frame's sources are public: a unit that supplied most of its own frame is visible.
      sources: plan?.frozenAt ? await frameSources(db, campaign.id, req.lang) : null,
      revealed: Boolean(plan?.drawnAt),
      frameHashVersion: FRAME_HASH_VERSION,
      drawAlgorithm: DRAW_ALGORITHM,
      keyFingerprint: await campaignKeyFingerprint(db, campaign.id),
    });
  });

  /** Public: the bulletin itself, for anyone to check its hash and look up receipts. */
  router.get('/campaigns/:id/bulletin.json', async (req, res) => {
    const bulletin = await findBulletin(db, String(req.params.id));
    if (!bulletin) throw notFound('bulletin.none');
    res.type('application/json').attachment(`bulletin-${bulletin.campaignId}.json`).send(JSON.stringify(bulletin.content, null, 1));
  });

  return router;
}
