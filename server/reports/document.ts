import type { Application } from 'express';
import { findCampaign, type CampaignRow } from '../campaigns/queries.js';
import type { Db } from '../db/client.js';
import type { Lang } from '../i18n/index.js';
import { fromRoot } from '../paths.js';
import { publishedResults, type Published } from '../publication/service.js';
import { blockQuestionnaire, questionsOf, type Catalog, type Methodology } from '../questionnaires/index.js';
import { translate } from '../i18n/index.js';
import { launchChromium } from './browser.js';
import { appendix, findings, overview, scorecard, type AppendixFacts, type Wording } from './model.js';
import { appendixFacts } from './service.js';
import { historyChart, publishedSeries, unitHistory, type SeriesYear } from './history.js';

/** What the report's header needs of the campaign. */
type ReportCampaign = Pick<CampaignRow, 'id' | 'province' | 'year' | 'title' | 'reportIssuer' | 'reportTitle'>;

/**
 * Everything the full report shows, pure: the cover, the summary of findings, the contents (each entry names
 * the heading it points to, whose printed page `printPdf` fills in), the overview of every block, every
 * scorecard and the appendix.
 */
export function reportDocument(
  campaign: ReportCampaign,
  published: Pick<Published, 'results' | 'record'>,
  methodology: Methodology,
  lang: Lang,
  facts: AppendixFacts,
  wording?: Wording,
  series: readonly SeriesYear[] = [],
) {
  const { results, record } = published;
  const report = overview(results, methodology, lang);
  const cards = report.flatMap((block) =>
    block.lines.map((line) => {
      const card = scorecard(results, methodology, lang, line.unit, wording)!;
      return { card: { ...card, history: card.withheld ? null : historyChart(unitHistory(series, line.unit), lang) } };
    }),
  );
  const t = (key: Parameters<typeof translate>[1], params: Record<string, string> = {}) => translate(lang, key, params);
  return {
    campaign,
    record,
    findings: findings(results, methodology, lang),
    contents: [
      { level: 1, target: 'summary', title: t('summary.title') },
      ...report.map((b) => ({ level: 1, target: `block-${b.code}`, title: b.name })),
      { level: 1, target: 'profiles', title: t('report.profiles') },
      ...cards.map(({ card }) => ({ level: 2, target: `unit-${card.unit}`, title: t('report.scorecardOf', { name: card.name }) })),
      { level: 1, target: 'appendix', title: t('report.appendix') },
    ],
    report,
    cards,
    appendix: appendix(results, methodology, lang, facts),
    level: Math.round(results.result.level * 100),
    replicates: results.result.replicates,
    minimum: methodology.minAnswersPerUnit,
  };
}
export type ReportDocument = ReturnType<typeof reportDocument>;

/** The wording of every question of each block's questionnaire (the one place questions are worded). */
export function questionWording(catalog: Catalog, methodologyVersion: string): Wording {
  const cache = new Map<string, ReadonlyMap<string, { vi: string; en: string }>>();
  return (block) => {
    if (!cache.has(block)) cache.set(block, new Map(questionsOf(blockQuestionnaire(catalog, methodologyVersion, block)).map((q) => [q.code, q.text])));
    return cache.get(block)!;
  };
}

/** The full report of a published campaign; null before publication. */
export async function reportData(db: Db, catalog: Catalog, campaignId: string, lang: Lang): Promise<ReportDocument | null> {
  const published = await publishedResults(db, campaignId);
  const campaign = await findCampaign(db, campaignId);
  if (!published || !campaign) return null;
  const methodology = catalog.methodologies.get(published.results.methodology);
  if (!methodology) throw new Error(`methodology ${published.results.methodology} is not installed`);
  return reportDocument(campaign, published, methodology, lang, await appendixFacts(db, campaignId), questionWording(catalog, methodology.version), await publishedSeries(db, campaignId));
}

/** A page as one HTML document in the print layout, for printing to PDF (its styles and scripts are added there). */
export function printableHtml(app: Application, view: string, locals: Record<string, unknown>, lang: Lang): Promise<string> {
  return new Promise((resolve, reject) =>
    app.render(view, { ...locals, lang, layout: 'print', print: true }, (error: Error | null, html?: string) => (error ? reject(error) : resolve(html!))),
  );
}

/** The report page as one HTML document, for printing to PDF. */
export const reportHtml = (app: Application, data: ReportDocument & { emblem?: string }, lang: Lang) => printableHtml(app, 'templates/report', data, lang);

/** The stylesheets of the printed report, added to the page Chromium prints (no server to fetch them from). */
const PRINT_STYLES = [fromRoot('views', 'assets', 'app.css'), fromRoot('reports', 'assets', 'report-print.css')];


/** The scripts that draw the report's charts, added to the page Chromium prints (no server to fetch them from). */
const CHART_SCRIPTS = [
  fromRoot('node_modules', 'chart.js', 'dist', 'chart.umd.min.js'),
  fromRoot('node_modules', 'chartjs-chart-error-bars', 'build', 'index.umd.min.js'),
  fromRoot('reports', 'assets', 'report-charts.js'),
];
/** The printable width of A4 between 14 mm margins, in CSS pixels: charts are drawn at the size they print. */
const A4_CONTENT_WIDTH = 688;

/** The whole report as an A4 PDF, printed by Chromium (server/reports/browser.ts) with its charts drawn. */
export async function reportPdf(app: Application, data: ReportDocument & { emblem?: string }, lang: Lang, chromiumPath: string | undefined): Promise<Buffer> {
  return printPdf(await reportHtml(app, data, lang), chromiumPath);
}

/**
 * A4 PDF of an HTML document, with an outline (bookmarks) from its headings. Margins and page numbers come
 * from the document's @page rule. A document with a contents list (`[data-contents-page]` elements, each
 * naming the heading it points to) is printed twice: the first print's outline says on which page each
 * heading fell, the list is filled in, and the second print is the one returned (its layout is the same:
 * the numbers sit in boxes of a fixed width).
 */
export async function printPdf(html: string, chromiumPath: string | undefined): Promise<Buffer> {
  const browser = await launchChromium(chromiumPath);
  try {
    const page = await browser.newPage({ viewport: { width: A4_CONTENT_WIDTH, height: 1000 } });
    await page.setContent(html, { waitUntil: 'load' });
    for (const path of PRINT_STYLES) await page.addStyleTag({ path });
    for (const path of CHART_SCRIPTS) await page.addScriptTag({ path });
    const print = () => page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, outline: true, tagged: true });
    if (!(await page.locator('[data-contents-page]').count())) return await print();
    const pages = Object.fromEntries(await headingPages(await print()));
    await page.$$eval('[data-contents-page]', (entries, numbers) => entries.forEach((e) => (e.textContent = String(numbers[e.getAttribute('data-contents-page')!.replace(/\s+/g, '')] ?? ''))), pages);
    return await print();
  } finally {
    await browser.close();
  }
}

/**
 * The page (from 1) of every heading in a PDF's outline, by its title without whitespace (Chromium drops the
 * space where a heading's line wraps); the first heading of a title wins.
 */
export async function headingPages(pdf: Buffer): Promise<Map<string, number>> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, verbosity: 0 }).promise;
  const pages = new Map<string, number>();
  type Item = { title: string; dest: string | unknown[] | null; items: Item[] };
  const walk = async (items: Item[]) => {
    for (const item of items) {
      const dest = typeof item.dest === 'string' ? await document.getDestination(item.dest) : item.dest;
      const ref = dest?.[0] as Parameters<typeof document.getPageIndex>[0] | undefined;
      const title = item.title.replace(/\s+/g, '');
      if (ref && !pages.has(title)) pages.set(title, (await document.getPageIndex(ref)) + 1);
      await walk(item.items);
    }
  };
  await walk(((await document.getOutline()) ?? []) as Item[]);
  await document.destroy();
  return pages;
}
