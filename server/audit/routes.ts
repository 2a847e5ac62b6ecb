import { Router, type Request, type RequestHandler } from 'express';
import { csvFile } from '../csv.js';
import type { Db } from '../db/client.js';
import { isMessageKey, translate, type Lang } from '../i18n/index.js';
import { AUDIT_ACTIONS } from '../i18n/messages/audit.js';
import { auditActors, recentEntries, type AuditFilter } from './queries.js';
import { verifyAuditLog } from './service.js';

const PAGE = 100;
/** The CSV is read from the database this many entries at a time. */
const CSV_BATCH = 2000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A day as the date field sends it (yyyy-mm-dd), as the instant it starts in Vietnam (UTC+7, no summer time). */
function vietnamDayStart(value: unknown, plusDays = 0): Date | undefined | 'invalid' {
  if (typeof value !== 'string' || value === '') return undefined;
  const match = DAY.exec(value);
  if (!match) return 'invalid';
  const start = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + plusDays) - 7 * 3600_000);
  return Number.isNaN(start.getTime()) ? 'invalid' : start;
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** The filter the query string asks for; `invalid` names a date field that is not a date. */
function filterOf(req: Request): { filter: AuditFilter; query: Record<string, string>; invalid?: 'from' | 'to' } {
  const from = vietnamDayStart(req.query.from);
  const to = vietnamDayStart(req.query.to, 1);
  const filter: AuditFilter = {
    actor: text(req.query.actor),
    action: text(req.query.action),
    campaignId: text(req.query.campaign),
    from: from instanceof Date ? from : undefined,
    to: to instanceof Date ? to : undefined,
  };
  const query = Object.fromEntries(['actor', 'action', 'campaign', 'from', 'to'].flatMap((k) => (text(req.query[k]) ? [[k, String(req.query[k])]] : [])));
  return { filter, query, ...(from === 'invalid' ? { invalid: 'from' as const } : to === 'invalid' ? { invalid: 'to' as const } : {}) };
}

export const actionLabel = (action: string, lang: Lang) => {
  const key = `auditAction.${action}`;
  return isMessageKey(key) ? translate(lang, key) : action;
};

/** An entry's details as `key: value` pairs (values that are not text as JSON). */
const detailsText = (details: Record<string, unknown>) =>
  Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ');

/**
 * The audit log page and its CSV export, in words, filtered by who, what, which campaign and when, paged
 * newest first. `mayRead` is the access check and `campaigns` lists the campaigns' titles — both given by
 * the app: every capability records into the audit log, so the audit capability depends on none of them.
 */
export function auditRoutes(db: Db, mayRead: RequestHandler, campaigns: () => Promise<{ id: string; title: string }[]>): Router {
  const router = Router();

  router.get('/audit', mayRead, async (req, res) => {
    const lang = res.locals.lang as Lang;
    const { filter, query, invalid } = filterOf(req);
    const before = Number.parseInt(String(req.query.before ?? ''), 10);
    const [entries, actors, titles] = await Promise.all([
      invalid ? [] : recentEntries(db, { ...filter, limit: PAGE, ...(before > 0 ? { before } : {}) }),
      auditActors(db),
      campaigns(),
    ]);
    const titleOf = new Map(titles.map((c) => [c.id, c.title]));
    const verification = req.query.verify === '1' ? await verifyAuditLog(db) : undefined;
    const params = new URLSearchParams(query);
    const olderThan = entries.length === PAGE ? entries[entries.length - 1]!.seq : undefined;
    res.status(invalid ? 422 : 200).render('pages/audit', {
      entries: entries.map((e) => ({ ...e, label: actionLabel(e.action, lang), campaign: e.campaignId ? (titleOf.get(e.campaignId) ?? e.campaignId) : '', detailsText: detailsText(e.details) })),
      verification,
      filter: query,
      invalid,
      actors: actors.map((a) => ({ value: a, selected: a === filter.actor })),
      actions: AUDIT_ACTIONS.map((a) => ({ value: a, label: actionLabel(a, lang), selected: a === filter.action })).sort((x, y) => x.label.localeCompare(y.label, lang)),
      campaigns: titles.map((c) => ({ value: c.id, label: c.title, selected: c.id === filter.campaignId })),
      filtered: params.size > 0,
      csvHref: `/audit.csv${params.size ? `?${params}` : ''}`,
      olderHref: olderThan === undefined ? undefined : `/audit?${new URLSearchParams({ ...query, before: String(olderThan) })}`,
    });
  });

  router.get('/audit.csv', mayRead, async (req, res) => {
    const lang = res.locals.lang as Lang;
    const { filter, invalid } = filterOf(req);
    if (invalid) return res.status(422).type('text/plain').send(translate(lang, 'audit.badDate'));
    const titleOf = new Map((await campaigns()).map((c) => [c.id, c.title]));
    const rows: (string | number)[][] = [['seq', 'at', 'actor', 'action', 'action_label', 'campaign_id', 'campaign', 'subject', 'details', 'hash']];
    for (let before: number | undefined; ; ) {
      const batch = await recentEntries(db, { ...filter, limit: CSV_BATCH, ...(before ? { before } : {}) });
      for (const e of batch) {
        rows.push([e.seq, new Date(e.at).toISOString(), e.actor, e.action, actionLabel(e.action, lang), e.campaignId ?? '', e.campaignId ? (titleOf.get(e.campaignId) ?? '') : '', e.subject ?? '', JSON.stringify(e.details), e.hash]);
      }
      if (batch.length < CSV_BATCH) break;
      before = batch[batch.length - 1]!.seq;
    }
    res.type('text/csv; charset=utf-8').attachment('audit-log.csv').send(csvFile(rows));
  });

  return router;
}
