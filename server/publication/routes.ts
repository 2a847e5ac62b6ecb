import { readFileSync } from 'node:fs';
import { Router, type Request, type Response } from 'express';
import { requirePermission } from '../auth/index.js';
import { findCampaign } from '../campaigns/queries.js';
import type { Config } from '../config.js';
import { notFound } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { formRateLimit } from '../http/rate-limit.js';
import * as publication from './service.js';
import { fromRoot } from '../paths.js';
import { codebook, microdataCsv } from './codebook.js';
import { indicatorsCsv, rankingsCsv, resultsXlsx } from '../reports/exports.js';
import { ChromiumMissing, printPdf, reportData, reportHtml } from '../reports/document.js';
import { appendix, overview, scorecard } from '../reports/model.js';
import { appendixFacts } from '../reports/service.js';
import { freeTextView } from './view.js';
import type { ResultsDocument } from './results.js';

/**
 * Unsealing runs, the sealed results (committee only, passphrase each time, audited), publication by the
 * chair, and the public results once — and only once — published.
 */
export function publicationRoutes(ctx: publication.PublicationContext, config: Config): Router {
  const router = Router();
  const { db, catalog } = ctx;
  const committee = requirePermission('unseal.approve');
  const passphraseLimit = formRateLimit(db, 'passphrase', config.loginRateLimit, config.loginRateWindowMinutes);
  const campaignOf = async (req: Request) => {
    const campaign = await findCampaign(db, String(req.params.id));
    if (!campaign) throw notFound('campaigns.notFound');
    return campaign;
  };
  /** The methodology results were scored with (installed: a campaign pins its version). */
  const methodologyOf = (version: string) => {
    const methodology = catalog.methodologies.get(version);
    if (!methodology) throw new Error(`methodology ${version} is not installed`);
    return methodology;
  };
  /** The report overview of results in the reader's language, with what its footnote says. */
  const overviewOf = (req: Request, results: ResultsDocument) => ({
    report: overview(results, methodologyOf(results.methodology), req.lang),
    level: Math.round(results.result.level * 100),
    replicates: results.result.replicates,
    minimum: methodologyOf(results.methodology).minAnswersPerUnit,
  });

  router.post('/campaigns/:id/unseal/run', committee, async (req, res) => {
    const campaign = await campaignOf(req);
    const started = await publication.startUnsealing(ctx, req.staff!, campaign.id);
    if (!started.ok) flash(res, started.error);
    res.redirect(303, `/campaigns/${campaign.id}/unseal`);
  });

  const sealedPage = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) =>
    res.status(status).render('pages/results-sealed', { campaign: await campaignOf(req), ...extra });
  router.get('/campaigns/:id/results/sealed', committee, (req, res) => sealedPage(req, res));
  router.post('/campaigns/:id/results/sealed', committee, passphraseLimit, async (req, res) => {
    const campaign = await campaignOf(req);
    const opened = await publication.readSealedResults(db, campaign.id, req.staff!, String(req.body?.passphrase ?? ''));
    if (!opened.ok) return sealedPage(req, res, { problem: opened.error }, opened.error.key === 'unseal.wrongPassphrase' ? 401 : 409);
    res.set('Cache-Control', 'no-store');
    await sealedPage(req, res, {
      opened: true,
      results: opened.value.results,
      ...overviewOf(req, opened.value.results),
      freeText: freeTextView(opened.value, catalog, req.lang),
      canPublish: req.staff!.role === 'chair' && campaign.state === 'unsealed',
    });
  });

  router.post('/campaigns/:id/publish', requirePermission('results.publish'), passphraseLimit, async (req, res) => {
    const campaign = await campaignOf(req);
    const published = await publication.publish(db, campaign.id, req.staff!, String(req.body?.passphrase ?? ''));
    if (!published.ok) return sealedPage(req, res, { problem: published.error }, published.error.key === 'unseal.wrongPassphrase' ? 401 : 409);
    flash(res, { key: 'results.published' });
    res.redirect(303, `/campaigns/${campaign.id}/results`);
  });

  /** Public, after publication only: before it, the same answer as for a campaign without results. */
  const publishedOf = async (req: Request) => {
    const found = await publication.publishedResults(db, String(req.params.id));
    if (!found) throw notFound('results.notPublished');
    return found;
  };
  router.get('/campaigns/:id/results', async (req, res) => {
    const found = await publishedOf(req);
    res.render('pages/results', { campaign: await campaignOf(req), record: found.record, signature: found.signature, ...overviewOf(req, found.results) });
  });
  router.get('/campaigns/:id/results/units/:code', async (req, res) => {
    const found = await publishedOf(req);
    const card = scorecard(found.results, methodologyOf(found.results.methodology), req.lang, String(req.params.code));
    if (!card) throw notFound('error.404');
    res.render('pages/scorecard', { campaign: await campaignOf(req), card, level: Math.round(found.results.result.level * 100), title: card.name });
  });
  router.get('/campaigns/:id/results/methodology', async (req, res) => {
    const { results } = await publishedOf(req);
    const facts = await appendixFacts(db, String(req.params.id));
    res.render('pages/report-methodology', { campaign: await campaignOf(req), appendix: appendix(results, methodologyOf(results.methodology), req.lang, facts) });
  });
  const reportOf = async (req: Request) => {
    const data = await reportData(db, catalog, String(req.params.id), req.lang);
    if (!data) throw notFound('results.notPublished');
    return data;
  };
  router.get('/campaigns/:id/report', async (req, res) => res.render('pages/report', await reportOf(req)));
  router.get('/campaigns/:id/report.pdf', async (req, res) => {
    const data = await reportOf(req);
    try {
      const pdf = await printPdf(await reportHtml(req.app, data, req.lang), config.chromiumPath);
      res.type('application/pdf').attachment(`ddci-${data.campaign.year}-${String(req.params.id)}.pdf`).send(pdf);
    } catch (error) {
      if (!(error instanceof ChromiumMissing)) throw error;
      ctx.logger.warn({ err: error }, 'PDF report: Chromium is not available');
      res.status(503).render('pages/report-methodology', { campaign: data.campaign, appendix: data.appendix, problem: { key: 'report.noChromium', params: { path: config.chromiumPath } } });
    }
  });
  router.get('/campaigns/:id/rankings.csv', async (req, res) => {
    const { results } = await publishedOf(req);
    res.type('text/csv; charset=utf-8').attachment(`rankings-${String(req.params.id)}.csv`).send(rankingsCsv(results, methodologyOf(results.methodology)));
  });
  router.get('/campaigns/:id/indicators.csv', async (req, res) => {
    const { results } = await publishedOf(req);
    res.type('text/csv; charset=utf-8').attachment(`indicators-${String(req.params.id)}.csv`).send(indicatorsCsv(results));
  });
  router.get('/campaigns/:id/results.xlsx', async (req, res) => {
    const { results } = await publishedOf(req);
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(`results-${String(req.params.id)}.xlsx`).send(await resultsXlsx(results, methodologyOf(results.methodology)));
  });
  const download = (name: string, pick: (p: publication.Published) => unknown) =>
    router.get(`/campaigns/:id/${name}.json`, async (req, res) => {
      const found = await publishedOf(req);
      res.type('application/json').attachment(`${name}-${String(req.params.id)}.json`).send(JSON.stringify(pick(found), null, 1));
    });
  download('results', (p) => p.results);
  download('microdata', (p) => p.microdata);
  download('publication', (p) => ({ record: p.record, signature: p.signature }));
  download('codebook', (p) => codebook(p.microdata, methodologyOf(p.microdata.methodology), catalog.questionnaires));
  download('methodology', (p) => methodologyOf(p.microdata.methodology));
  router.get('/campaigns/:id/microdata.csv', async (req, res) => {
    const { microdata } = await publishedOf(req);
    const methodology = methodologyOf(microdata.methodology);
    const book = codebook(microdata, methodology, catalog.questionnaires);
    res.type('text/csv; charset=utf-8').attachment(book.file).send(microdataCsv(microdata, book, methodology));
  });
  // The estimation rules, shipped with every microdata download.
  const estimationRules = readFileSync(fromRoot('docs', 'estimation.md'), 'utf8');
  router.get('/campaigns/:id/estimation.md', async (req, res) => {
    await publishedOf(req);
    res.type('text/markdown; charset=utf-8').attachment('estimation.md').send(estimationRules);
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
