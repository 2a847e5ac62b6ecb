import { Router } from 'express';
import { requirePermission } from '../auth/index.js';
import type { Db } from '../db/client.js';
import { recentEntries } from './queries.js';
import { verifyAuditLog } from './service.js';

const PAGE = 100;

export function auditRoutes(db: Db): Router {
  const router = Router();
  router.get('/audit', requirePermission('audit.read'), async (req, res) => {
    const before = Number.parseInt(String(req.query.before ?? ''), 10);
    const entries = await recentEntries(db, { limit: PAGE, ...(before > 0 ? { before } : {}) });
    const verification = req.query.verify === '1' ? await verifyAuditLog(db) : undefined;
    res.render('pages/audit', {
      entries,
      verification,
      olderThan: entries.length === PAGE ? entries[entries.length - 1]!.seq : undefined,
    });
  });
  return router;
}
