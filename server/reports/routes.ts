import { readFileSync } from 'node:fs';
import { Router, type Request, type Response } from 'express';
import { requirePermission } from '../auth/index.js';
import { campaignLookup } from '../campaigns/lookup.js';
import type { Config } from '../config.js';
import { notFound } from '../http/errors.js';
import { formRateLimit } from '../http/rate-limit.js';
import type { Lang } from '../i18n/index.js';
import { fromRoot } from '../paths.js';
import { analysableMicrodata, codebook, microdataCsv } from '../publication/codebook.js';
import type { ResultsDocument } from '../publication/results.js';
import { publishedResults, readSealedResults, type Published, type PublicationContext } from '../publication/service.js';
import { freeTextView } from '../publication/view.js';
import { ChromiumMissing } from './browser.js';
import { reportData, reportPdf } from './document.js';
import { indicatorsCsv, microdataXlsx, rankingsCsv, resultsXlsx } from './exports.js';
import { writeDta } from './formats/dta.js';
import { labelledMicrodata } from './formats/labelled.js';
import { writeSav } from './formats/sav.js';
import { appendix, codebookView, overview, scorecard } from './model.js';
import { appendixFacts } from './service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The reports: the committee's sealed preview (passphrase each time, audited, never cached), and after
 * publication — only then — the public overview, scorecards, appendix, codebook, the whole report as print
 * view and PDF, and every export (CSV, XLSX, SPSS, Stata, JSON).
 */
export function reportRoutes(ctx: PublicationContext, config: Config): Router {
  const router = Router();
  const { db, catalog } = ctx;
  const committee = requirePermission('unseal.approve');
  const passphraseLimit = formRateLimit(db, 'passphrase', config.loginRateLimit, config.loginRateWindowMinutes);
  const campaignOf = campaignLookup(db);
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

  const sealedPage = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) =>
    res.status(status).render('pages/results-sealed', { campaign: await campaignOf(req), ...extra });
  router.get('/campaigns/:id/results/sealed', committee, (req, res) => sealedPage(req, res));
  router.post('/campaigns/:id/results/sealed', committee, passphraseLimit, async (req, res) => {
    const campaign = await campaignOf(req);
    const opened = await readSealedResults(db, campaign.id, req.staff!, String(req.body?.passphrase ?? ''));
    if (!opened.ok) return sealedPage(req, res, { problem: opened.error }, opened.error.key === 'unseal.wrongPassphrase' ? 401 : 409);
    await sealedPage(req, res, {
      opened: true,
      results: opened.value.results,
      ...overviewOf(req, opened.value.results),
      freeText: freeTextView(opened.value, catalog, req.lang),
      canPublish: req.staff!.role === 'chair' && campaign.state === 'unsealed',
    });
  });

  /** Public, after publication only: before it, the same answer as for a campaign without results. */
  const publishedOf = async (req: Request) => {
    const found = await publishedResults(db, String(req.params.id));
    if (!found) throw notFound('results.notPublished');
    return found;
  };
  const id = (req: Request) => String(req.params.id);
  /** The analysts' table (units under the minimum left out) with its codebook. */
  const described = (p: Published) => {
    const microdata = analysableMicrodata(p.microdata, p.results);
    const methodology = methodologyOf(microdata.methodology);
    return { microdata, methodology, book: codebook(microdata, methodology, catalog.questionnaires), published: new Date(p.record.publishedAt) };
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
    const facts = await appendixFacts(db, id(req));
    res.render('pages/report-methodology', { campaign: await campaignOf(req), appendix: appendix(results, methodologyOf(results.methodology), req.lang, facts) });
  });
  router.get('/campaigns/:id/results/codebook', async (req, res) => {
    const { book } = described(await publishedOf(req));
    res.render('pages/codebook', { campaign: await campaignOf(req), book: codebookView(book, req.lang) });
  });

  const reportOf = async (req: Request) => {
    const data = await reportData(db, catalog, id(req), req.lang);
    if (!data) throw notFound('results.notPublished');
    return data;
  };
  router.get('/campaigns/:id/report', async (req, res) => res.render('pages/report', await reportOf(req)));
  router.get('/campaigns/:id/report.pdf', async (req, res) => {
    const data = await reportOf(req);
    try {
      const pdf = await reportPdf(req.app, data, req.lang, config.chromiumPath);
      res.type('application/pdf').attachment(`ddci-${data.campaign.year}-${id(req)}.pdf`).send(pdf);
    } catch (error) {
      if (!(error instanceof ChromiumMissing)) throw error;
      ctx.logger.warn({ err: error }, 'PDF report: Chromium is not available');
      res.status(503).render('pages/report-methodology', { campaign: data.campaign, appendix: data.appendix, problem: { key: 'report.noChromium', params: { reason: error.message } } });
    }
  });

  router.get('/campaigns/:id/rankings.csv', async (req, res) => {
    const { results } = await publishedOf(req);
    res.type('text/csv; charset=utf-8').attachment(`rankings-${id(req)}.csv`).send(rankingsCsv(results, methodologyOf(results.methodology)));
  });
  router.get('/campaigns/:id/indicators.csv', async (req, res) => {
    const { results } = await publishedOf(req);
    res.type('text/csv; charset=utf-8').attachment(`indicators-${id(req)}.csv`).send(indicatorsCsv(results));
  });
  router.get('/campaigns/:id/results.xlsx', async (req, res) => {
    const { results } = await publishedOf(req);
    res.type(XLSX).attachment(`results-${id(req)}.xlsx`).send(await resultsXlsx(results, methodologyOf(results.methodology)));
  });

  const json = (name: string, pick: (p: Published) => unknown) =>
    router.get(`/campaigns/:id/${name}.json`, async (req, res) => {
      const found = await publishedOf(req);
      res.type('application/json').attachment(`${name}-${id(req)}.json`).send(JSON.stringify(pick(found), null, 1));
    });
  json('results', (p) => p.results);
  json('microdata', (p) => p.microdata);
  json('publication', (p) => ({ record: p.record, signature: p.signature }));
  json('codebook', (p) => described(p).book);
  json('methodology', (p) => methodologyOf(p.microdata.methodology));

  /** The microdata in the analysts' formats, each described by the same codebook. */
  const microdataFile = (extension: string, type: string, render: (p: Published, lang: Lang) => Buffer | string | Promise<Buffer>) =>
    router.get(`/campaigns/:id/microdata.${extension}`, async (req, res) => {
      const found = await publishedOf(req);
      res.type(type).attachment(`microdata-${id(req)}.${extension}`).send(await render(found, req.lang));
    });
  microdataFile('csv', 'text/csv; charset=utf-8', (p) => {
    const { microdata, methodology, book } = described(p);
    return microdataCsv(microdata, book, methodology);
  });
  microdataFile('xlsx', XLSX, (p, lang) => {
    const { microdata, methodology, book } = described(p);
    return microdataXlsx(microdata, book, methodology, lang);
  });
  microdataFile('sav', 'application/x-spss-sav', (p, lang) => {
    const { microdata, methodology, book, published } = described(p);
    return writeSav(labelledMicrodata(microdata, book, methodology, lang), published);
  });
  microdataFile('dta', 'application/x-stata-dta', (p, lang) => {
    const { microdata, methodology, book, published } = described(p);
    return writeDta(labelledMicrodata(microdata, book, methodology, lang), published);
  });

  // The estimation rules, shipped with every microdata download.
  const estimationRules = readFileSync(fromRoot('docs', 'estimation.md'), 'utf8');
  router.get('/campaigns/:id/estimation.md', async (req, res) => {
    await publishedOf(req);
    res.type('text/markdown; charset=utf-8').attachment('estimation.md').send(estimationRules);
  });

  return router;
}
