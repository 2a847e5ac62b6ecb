import { readFileSync } from 'node:fs';
import { Router, type Request, type Response } from 'express';
import { requirePermission } from '../auth/index.js';
import { campaignLookup } from '../campaigns/lookup.js';
import type { CampaignRow } from '../campaigns/queries.js';
import type { Config } from '../config.js';
import { encodeBody, sendEncoded } from '../http/encoded.js';
import { notFound } from '../http/errors.js';
import { formRateLimit } from '../http/rate-limit.js';
import { translate, type Lang } from '../i18n/index.js';
import { fromRoot } from '../paths.js';
import { analysableMicrodata, codebook, microdataCsv } from '../publication/codebook.js';
import type { ResultsDocument } from '../publication/results.js';
import { readSealedResults, type PublicationContext } from '../publication/service.js';
import { freeTextView } from '../publication/view.js';
import { ChromiumMissing } from './browser.js';
import { printableHtml, printPdf, questionWording, reportData, reportPdf } from './document.js';
import { publishedCache, type PublishedEntry } from './published-cache.js';
import { indicatorsCsv, microdataXlsx, rankingsCsv, resultsXlsx } from './exports.js';
import { writeDta } from './formats/dta.js';
import { labelledMicrodata } from './formats/labelled.js';
import { writeSav } from './formats/sav.js';
import { appendix, codebookView, overview, scorecard } from './model.js';
import { conferenceSlides } from './slides.js';
import { historyChart, publishedSeries, unitHistory } from './history.js';
import { appendixFacts } from './service.js';

/** The types of the text files, which are kept compressed. */
const TEXT = /^(text\/|application\/json)/;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

/**
 * The reports: the committee's sealed preview (passphrase each time, audited, never cached), and after
 * publication — only then — the public overview, scorecards, appendix, codebook, the whole report as print
 * view and PDF, and every export (CSV, XLSX, SPSS, Stata, JSON).
 */
const EMBLEM_TYPES: Record<string, string> = { png: 'image/png', svg: 'image/svg+xml', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp' };

export interface ReportRoutes {
  /** Every report route, the public ones included. */
  router: Router;
  /**
   * Only the public reads of a publication (pages and files), which need no session, form or CSRF token:
   * the app serves an anonymous reader these before that machinery runs (docs/design.md §8).
   */
  published: Router;
}

export function reportRoutes(ctx: PublicationContext, config: Config): ReportRoutes {
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

  /**
   * Public, after publication only: before it, the same answer as for a campaign without results. Read and
   * parsed once per instance, with everything made from it (published-cache.ts).
   */
  const cache = publishedCache(db);
  const published = Router();
  const publishedOf = async (req: Request) => {
    const found = await cache.entry(String(req.params.id));
    if (!found) throw notFound('results.notPublished');
    return found;
  };
  const id = (req: Request) => String(req.params.id);
  /** The analysts' table (units under the minimum left out) with its codebook. */
  const described = (e: PublishedEntry) =>
    cache.derived(e, 'described', () => {
      const p = e.published;
      const microdata = analysableMicrodata(p.microdata, p.results);
      const methodology = methodologyOf(microdata.methodology);
      return { microdata, methodology, book: codebook(microdata, methodology, catalog.questionnaires), published: new Date(p.record.publishedAt) };
    });
  /**
   * A public file of the publication: made once per language (text files compressed then too), then served as
   * bytes with a strong ETag and public caching (it never changes), 304 to a reader who has it.
   */
  const download = (path: string, type: string, filename: (req: Request) => string, make: (e: PublishedEntry, lang: Lang) => string | Buffer | Promise<string | Buffer>) =>
    published.get(path, async (req, res) => {
      const e = await publishedOf(req);
      const body = await cache.derived(e, `${path}|${req.lang}`, async () => encodeBody(await make(e, req.lang), TEXT.test(type)));
      res.set('Cache-Control', 'public, max-age=300').type(type).attachment(filename(req));
      sendEncoded(req, res, body);
    });

  /**
   * The campaign's record for the public pages, read again at most every few seconds: its report header may
   * be edited after publication (the pages are kept per version of it), and an edit shows within that time.
   */
  const RECORD_TTL_MS = 2_000;
  const records = new Map<string, { until: number; row: Promise<CampaignRow> }>();
  const recentRecord = (req: Request) => {
    const known = records.get(id(req));
    if (known && known.until > Date.now()) return known.row;
    const row = campaignOf(req);
    records.set(id(req), { until: Date.now() + RECORD_TTL_MS, row });
    row.catch(() => records.delete(id(req)));
    return row;
  };

  /**
   * A public page of the publication. For a reader with no session and no notice — the announcement-day
   * crowd — it is rendered once per page, language and campaign record, with no form and so no CSRF token,
   * compressed once, and sent as those bytes; anyone else gets it rendered for them. Only plain URLs (no query
   * but `lang`) are kept.
   */
  const publicPage = async (req: Request, res: Response, e: PublishedEntry, view: string, locals: (campaign: CampaignRow) => Record<string, unknown> | Promise<Record<string, unknown>>) => {
    const plain = Object.keys(req.query).every((k) => k === 'lang');
    if (req.staff || res.locals.flash || !plain) return res.render(view, await locals(await campaignOf(req)));
    const campaign = await recentRecord(req);
    const page = await cache.derived(e, `html|${req.path}|${req.lang}|${campaign.updatedAt.getTime()}`, async () => {
      const shown = { ...(await locals(campaign)), csrfToken: '' };
      return encodeBody(await new Promise<string>((resolve, reject) => res.render(view, shown, (error: Error | null, out?: string) => (error ? reject(error) : resolve(out!)))), true);
    });
    res.type('html').set('Cache-Control', 'private, no-cache');
    sendEncoded(req, res, page);
  };

  published.get('/campaigns/:id/results', async (req, res) => {
    const e = await publishedOf(req);
    await publicPage(req, res, e, 'pages/results', async (campaign) => ({
      campaign,
      record: e.published.record,
      signature: e.published.signature,
      ...(await cache.derived(e, `overview|${req.lang}`, () => overviewOf(req, e.published.results))),
    }));
  });
  const cardOf = async (req: Request, e: PublishedEntry) => {
    const { results } = e.published;
    const code = String(req.params.code);
    if (!results.units.some((u) => u.code === code)) throw notFound('error.404'); // nothing kept for codes that are not units
    const card = await cache.derived(e, `scorecard|${code}|${req.lang}`, async () => {
      const made = scorecard(results, methodologyOf(results.methodology), req.lang, code, questionWording(catalog, results.methodology));
      // Earlier publications never change either: the unit's series is kept with its card.
      const series = await cache.derived(e, 'series', () => publishedSeries(db, id(req)));
      return made && { ...made, history: made.withheld ? null : historyChart(unitHistory(series, code), req.lang) };
    });
    if (!card) throw notFound('error.404');
    return { card, level: Math.round(results.result.level * 100), title: card.name };
  };
  published.get('/campaigns/:id/results/units/:code', async (req, res) => {
    const e = await publishedOf(req);
    const shown = await cardOf(req, e);
    await publicPage(req, res, e, 'templates/scorecard', (campaign) => ({ campaign, ...shown }));
  });
  /** One unit's profile as its own A4 PDF, to send to the unit. */
  published.get('/campaigns/:id/results/units/:code/profile.pdf', async (req, res) => {
    const e = await publishedOf(req);
    const shown = await cardOf(req, e);
    const campaign = await campaignOf(req);
    try {
      const pdf = await cache.derived(e, `profile|${shown.card.unit}|${req.lang}|${campaign.updatedAt.toISOString()}`, async () =>
        printPdf(await printableHtml(req.app, 'templates/scorecard', { campaign, ...shown }, req.lang), config.chromiumPath),
      );
      res.type('application/pdf').attachment(`ddci-${campaign.year}-${shown.card.unit}.pdf`).send(pdf);
    } catch (error) {
      if (!(error instanceof ChromiumMissing)) throw error;
      ctx.logger.warn({ err: error }, 'PDF profile: Chromium is not available');
      res.status(503).render('pages/error', { status: 503, message: { key: 'report.noChromium', params: { reason: error.message } } });
    }
  });
  published.get('/campaigns/:id/results/methodology', async (req, res) => {
    const { results } = (await publishedOf(req)).published;
    const facts = await appendixFacts(db, id(req));
    res.render('templates/report-methodology', { campaign: await campaignOf(req), appendix: appendix(results, methodologyOf(results.methodology), req.lang, facts) });
  });
  published.get('/campaigns/:id/results/codebook', async (req, res) => {
    const { book } = await described(await publishedOf(req));
    res.render('templates/codebook', { campaign: await campaignOf(req), book: codebookView(book, req.lang) });
  });

  const reportOf = async (req: Request) => {
    const data = await reportData(db, catalog, id(req), req.lang);
    if (!data) throw notFound('results.notPublished');
    return data;
  };
  // The installation's emblem on the cover: served to the page, inlined in the PDF (printed with no server).
  const emblemPath = config.branding.emblemPath;
  const emblemInline = emblemPath && `data:${EMBLEM_TYPES[emblemPath.split('.').pop()!.toLowerCase()]};base64,${readFileSync(emblemPath).toString('base64')}`;
  published.get('/campaigns/:id/report', async (req, res) => res.render('templates/report', { ...(await reportOf(req)), ...(emblemPath ? { emblem: '/brand/emblem' } : {}) }));
  published.get('/campaigns/:id/report.pdf', async (req, res) => {
    const e = await publishedOf(req);
    const campaign = await campaignOf(req);
    try {
      // The report's header may be edited after publication: the printed PDF is kept per header version.
      const pdf = await cache.derived(e, `pdf|${req.lang}|${campaign.updatedAt.toISOString()}`, async () => reportPdf(req.app, { ...(await reportOf(req)), ...(emblemInline ? { emblem: emblemInline } : {}) }, req.lang, config.chromiumPath));
      res.type('application/pdf').attachment(`ddci-${campaign.year}-${id(req)}.pdf`).send(pdf);
    } catch (error) {
      if (!(error instanceof ChromiumMissing)) throw error;
      ctx.logger.warn({ err: error }, 'PDF report: Chromium is not available');
      const data = await reportOf(req);
      res.status(503).render('templates/report-methodology', { campaign: data.campaign, appendix: data.appendix, problem: { key: 'report.noChromium', params: { reason: error.message } } });
    }
  });

  /** The conference's slides; kept per header version, as the PDF is. */
  published.get('/campaigns/:id/slides.pptx', async (req, res) => {
    const e = await publishedOf(req);
    const campaign = await campaignOf(req);
    const header = {
      issuer: campaign.reportIssuer ?? translate(req.lang, 'report.issuer', { province: campaign.province.toLocaleUpperCase('vi-VN') }),
      title: campaign.reportTitle ?? campaign.title,
      year: campaign.year,
      publishedAt: new Date(e.published.record.publishedAt),
    };
    const deck = await cache.derived(e, `slides|${req.lang}|${campaign.updatedAt.toISOString()}`, () => conferenceSlides(e.published.results, methodologyOfEntry(e), req.lang, header));
    res.type(PPTX).attachment(`ddci-${campaign.year}-${id(req)}.pptx`).send(deck);
  });

  const CSV = 'text/csv; charset=utf-8';
  const methodologyOfEntry = (e: PublishedEntry) => methodologyOf(e.published.results.methodology);
  download('/campaigns/:id/rankings.csv', CSV, (req) => `rankings-${id(req)}.csv`, (e) => rankingsCsv(e.published.results, methodologyOfEntry(e)));
  download('/campaigns/:id/indicators.csv', CSV, (req) => `indicators-${id(req)}.csv`, (e) => indicatorsCsv(e.published.results, methodologyOfEntry(e)));
  // The same tables for a spreadsheet set to Vietnamese (“;” between cells, “,” before decimals).
  download('/campaigns/:id/rankings-vi.csv', CSV, (req) => `rankings-${id(req)}-vi.csv`, (e) => rankingsCsv(e.published.results, methodologyOfEntry(e), 'vi'));
  download('/campaigns/:id/indicators-vi.csv', CSV, (req) => `indicators-${id(req)}-vi.csv`, (e) => indicatorsCsv(e.published.results, methodologyOfEntry(e), 'vi'));
  download('/campaigns/:id/results.xlsx', XLSX, (req) => `results-${id(req)}.xlsx`, (e) => resultsXlsx(e.published.results, methodologyOfEntry(e)));

  const json = (name: string, pick: (e: PublishedEntry) => unknown) =>
    download(`/campaigns/:id/${name}.json`, 'application/json', (req) => `${name}-${id(req)}.json`, async (e) => JSON.stringify(await pick(e), null, 1));
  json('results', (e) => e.published.results);
  json('microdata', (e) => e.published.microdata);
  json('publication', (e) => ({ record: e.published.record, signature: e.published.signature }));
  json('codebook', async (e) => (await described(e)).book);
  json('methodology', (e) => methodologyOf(e.published.microdata.methodology));

  /** The microdata in the analysts' formats, each described by the same codebook. */
  const microdataFile = (extension: string, type: string, render: (d: Awaited<ReturnType<typeof described>>, lang: Lang) => Buffer | string | Promise<Buffer>) =>
    download(`/campaigns/:id/microdata.${extension}`, type, (req) => `microdata-${id(req)}.${extension}`, async (e, lang) => render(await described(e), lang));
  microdataFile('csv', CSV, ({ microdata, methodology, book }) => microdataCsv(microdata, book, methodology));
  microdataFile('xlsx', XLSX, ({ microdata, methodology, book }, lang) => microdataXlsx(microdata, book, methodology, lang));
  microdataFile('sav', 'application/x-spss-sav', ({ microdata, methodology, book, published }, lang) => writeSav(labelledMicrodata(microdata, book, methodology, lang), published));
  microdataFile('dta', 'application/x-stata-dta', ({ microdata, methodology, book, published }, lang) => writeDta(labelledMicrodata(microdata, book, methodology, lang), published));

  // The estimation rules, shipped with every microdata download.
  const estimationRules = readFileSync(fromRoot('docs', 'estimation.md'), 'utf8');
  published.get('/campaigns/:id/estimation.md', async (req, res) => {
    await publishedOf(req);
    res.type('text/markdown; charset=utf-8').attachment('estimation.md').send(estimationRules);
  });

  router.use(published);
  return { router, published };
}
