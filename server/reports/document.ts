import type { Application } from 'express';
import { findCampaign, type CampaignRow } from '../campaigns/queries.js';
import type { Db } from '../db/client.js';
import type { Lang } from '../i18n/index.js';
import { fromRoot } from '../paths.js';
import { publishedResults, type Published } from '../publication/service.js';
import type { Catalog, Methodology } from '../questionnaires/index.js';
import { launchChromium } from './browser.js';
import { appendix, overview, scorecard, type AppendixFacts } from './model.js';
import { appendixFacts } from './service.js';

/** What the report's header needs of the campaign. */
type ReportCampaign = Pick<CampaignRow, 'id' | 'province' | 'year' | 'title' | 'reportIssuer' | 'reportTitle'>;

/** Everything the full report shows (overview, every scorecard, appendix), pure. */
export function reportDocument(campaign: ReportCampaign, published: Pick<Published, 'results' | 'record'>, methodology: Methodology, lang: Lang, facts: AppendixFacts) {
  const { results, record } = published;
  const report = overview(results, methodology, lang);
  return {
    campaign,
    record,
    report,
    cards: report.flatMap((block) => block.lines.map((line) => ({ card: scorecard(results, methodology, lang, line.unit)! }))),
    appendix: appendix(results, methodology, lang, facts),
    level: Math.round(results.result.level * 100),
    replicates: results.result.replicates,
    minimum: methodology.minAnswersPerUnit,
  };
}
export type ReportDocument = ReturnType<typeof reportDocument>;

/** The full report of a published campaign; null before publication. */
export async function reportData(db: Db, catalog: Catalog, campaignId: string, lang: Lang): Promise<ReportDocument | null> {
  const published = await publishedResults(db, campaignId);
  const campaign = await findCampaign(db, campaignId);
  if (!published || !campaign) return null;
  const methodology = catalog.methodologies.get(published.results.methodology);
  if (!methodology) throw new Error(`methodology ${published.results.methodology} is not installed`);
  return reportDocument(campaign, published, methodology, lang, await appendixFacts(db, campaignId));
}

/** The report page as one HTML document, for printing to PDF (its styles and scripts are added there). */
export function reportHtml(app: Application, data: ReportDocument, lang: Lang): Promise<string> {
  return new Promise((resolve, reject) =>
    app.render('pages/report', { ...data, lang, layout: 'print', print: true }, (error: Error | null, html?: string) => (error ? reject(error) : resolve(html!))),
  );
}

/** The stylesheets of the printed report, added to the page Chromium prints (no server to fetch them from). */
const PRINT_STYLES = [fromRoot('views', 'assets', 'app.css'), fromRoot('views', 'assets', 'report-print.css')];


/** The scripts that draw the report's charts, added to the page Chromium prints (no server to fetch them from). */
const CHART_SCRIPTS = [
  fromRoot('node_modules', 'chart.js', 'dist', 'chart.umd.min.js'),
  fromRoot('node_modules', 'chartjs-chart-error-bars', 'build', 'index.umd.min.js'),
  fromRoot('views', 'assets', 'report-charts.js'),
];
/** The printable width of A4 between 14 mm margins, in CSS pixels: charts are drawn at the size they print. */
const A4_CONTENT_WIDTH = 688;

/** The whole report as an A4 PDF, printed by Chromium (server/reports/browser.ts) with its charts drawn. */
export async function reportPdf(app: Application, data: ReportDocument, lang: Lang, chromiumPath: string | undefined): Promise<Buffer> {
  return printPdf(await reportHtml(app, data, lang), chromiumPath);
}

/** A4 PDF of an HTML document. Margins and page numbers come from the document's @page rule. */
export async function printPdf(html: string, chromiumPath: string | undefined): Promise<Buffer> {
  const browser = await launchChromium(chromiumPath);
  try {
    const page = await browser.newPage({ viewport: { width: A4_CONTENT_WIDTH, height: 1000 } });
    await page.setContent(html, { waitUntil: 'load' });
    for (const path of PRINT_STYLES) await page.addStyleTag({ path });
    for (const path of CHART_SCRIPTS) await page.addScriptTag({ path });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}
