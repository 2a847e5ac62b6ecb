import { Router, type RequestHandler } from 'express';
import type { Db } from '../db/client.js';
import { recentEntries } from './queries.js';
import { verifyAuditLog } from './service.js';

const PAGE = 100;

/**
 * The audit log page. `mayRead` is the access check (the auth capability's, given by the app: every
 * capability records into the audit log, so the audit capability depends on none of them).
 */
export function auditRoutes(db: Db, mayRead: RequestHandler): Router {
  const router = Router();
  router.get('/audit', mayRead, async (req, res) => {
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
