import { Router, type Request, type Response } from 'express';
import { can } from '../auth/policy.js';
import type { Db } from '../db/client.js';
import { flash } from '../http/flash.js';
import { singleSmallFile } from '../http/uploads.js';
import { translate, type Lang } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import type { Catalog, Methodology, Questionnaire } from '../questionnaires/index.js';
import { methodologyChanges, questionnaireChanges } from '../questionnaires/diff.js';
import { readWorkbook, writeWorkbook, type WorkbookProblem } from '../questionnaires/workbook.js';
import type { VersionKind } from './queries.js';
import * as design from './service.js';
import { methodologyRoutes } from './methodology-routes.js';
import { designerPages } from './pages.js';
import { questionnaireRoutes } from './questionnaire-routes.js';

/**
 * The survey designer (docs/designer.md): administrators shape next year's questionnaires and index from
 * last year's, in the browser or as a workbook; the committee and the observer read; the chair approves.
 */
export function designRoutes(db: Db, catalog: Catalog, options: { chromiumPath?: string; logger: Logger }): Router {
  const router = Router();
  const pages = designerPages(db, catalog, options);
  const { view, edit, versionOf, kindOf, problemList } = pages;

  async function renderList(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    await design.installApprovedVersions(db, catalog); // approvals made by another instance
    const versions = await design.designVersions(db, catalog);
    const rows = await Promise.all(
      versions.map(async (v) => ({
        ...v,
        title: v.kind === 'questionnaire' ? (v.document as Questionnaire).title[req.lang] : (v.document as Methodology).blocks.map((b) => b.name[req.lang]).join(', '),
        shortHash: v.hash.slice(0, 12),
        version: v.kind === 'questionnaire' ? (v.document as Questionnaire).version : v.key,
        campaigns: v.kind === 'methodology' ? await design.campaignsPinning(db, v.key) : [],
        href: `/design/${v.kind}/${encodeURIComponent(v.key)}`,
      })),
    );
    res.status(status).render('pages/design-list', {
      methodologies: rows.filter((r) => r.kind === 'methodology'),
      questionnaires: rows.filter((r) => r.kind === 'questionnaire'),
      mayEdit: can(req.staff!.role, 'design.edit'),
      suggestedVersion: `${new Date().getFullYear() + 1}.1`,
      ...extra,
    });
  }

  router.get('/design', view, (req, res) => renderList(req, res));

  router.post('/design/start', edit, async (req, res) => {
    const [kind, ...rest] = String(req.body.from ?? '').split(':') as [VersionKind, ...string[]];
    const version = String(req.body.version ?? '').trim();
    const started = await design.startVersion(db, catalog, req.staff!, { kind, key: rest.join(':') }, version);
    if (!started.ok) return renderList(req, res, { problem: started.error, problems: 'problems' in started ? problemList(started.problems) : [], values: req.body }, 409);
    flash(res, { key: 'designer.started', params: { key: started.value.key } });
    res.redirect(303, `/design/${started.value.kind}/${encodeURIComponent(started.value.key)}`);
  });

  router.post('/design/import', edit, singleSmallFile('workbook', 5 * 1024 * 1024), async (req, res) => {
    if (!req.file) return renderList(req, res, { problem: { key: 'designer.noFile' } }, 422);
    const read = await readWorkbook(req.file.buffer, { questionnaires: await design.knownQuestionnaires(db, catalog) });
    if (read.problems.length) return renderList(req, res, { problem: { key: 'designer.workbookInvalid', params: { count: read.problems.length } }, workbookProblems: read.problems.map((p) => workbookProblemText(p, req.lang)) }, 422);
    const imported = await design.importDocuments(db, catalog, req.staff!, read);
    if (!imported.ok) return renderList(req, res, { problem: imported.error, problems: 'problems' in imported ? problemList(imported.problems) : [] }, 409);
    flash(res, { key: 'designer.imported', params: { keys: imported.value.map((v) => v.key).join(', ') } });
    const main = imported.value.at(-1)!;
    res.redirect(303, `/design/${main.kind}/${encodeURIComponent(main.key)}`);
  });

  router.get('/design/:kind/:key/workbook.xlsx', view, async (req, res) => {
    const version = await versionOf(req);
    const book = await writeWorkbook(version.kind === 'questionnaire' ? { questionnaire: version.document as Questionnaire } : { methodology: version.document as Methodology });
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(`${version.kind === 'questionnaire' ? version.key : `methodology-${version.key}`}.xlsx`).send(book);
  });

  methodologyRoutes(router, pages);
  questionnaireRoutes(router, pages);


  router.get('/design/diff/:kind', view, async (req, res) => {
    const kind = kindOf(req);
    const [from, to] = await Promise.all([String(req.query.from ?? ''), String(req.query.to ?? '')].map((key) => design.findDesign(db, catalog, kind, key)));
    const versions = (await design.designVersions(db, catalog)).filter((v) => v.kind === kind).map((v) => v.key);
    const changes = from && to ? (kind === 'questionnaire' ? questionnaireChanges(from.document as Questionnaire, to.document as Questionnaire) : methodologyChanges(from.document as Methodology, to.document as Methodology)) : [];
    res.render('pages/design-diff', { kind, versions, from: from?.key, to: to?.key, changes, compared: Boolean(from && to) });
  });

  return router;
}

/** A workbook problem in the reader's language: “Trang survey, dòng 14, cột relevant: …”. */
export function workbookProblemText(p: WorkbookProblem, lang: Lang): string {
  const problem = translate(lang, p.message.key, p.message.params);
  if (p.row === undefined) return translate(lang, 'workbook.atSheet', { sheet: p.sheet, problem });
  if (p.column === undefined) return translate(lang, 'workbook.atRow', { sheet: p.sheet, row: p.row, problem });
  return translate(lang, 'workbook.at', { sheet: p.sheet, row: p.row, column: p.column, problem });
}

