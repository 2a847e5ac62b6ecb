import { readFileSync } from 'node:fs';
import type { Application } from 'express';
import { findCampaign } from '../campaigns/queries.js';
import type { Db } from '../db/client.js';
import type { Lang } from '../i18n/index.js';
import { fromRoot } from '../paths.js';
import { publishedResults } from '../publication/service.js';
import type { Catalog } from '../questionnaires/index.js';
import { appendix, overview, scorecard } from './model.js';
import { appendixFacts } from './service.js';

/** Everything the full report shows (overview, every scorecard, appendix); null before publication. */
export async function reportData(db: Db, catalog: Catalog, campaignId: string, lang: Lang) {
  const published = await publishedResults(db, campaignId);
  const campaign = await findCampaign(db, campaignId);
  if (!published || !campaign) return null;
  const { results, record } = published;
  const methodology = catalog.methodologies.get(results.methodology);
  if (!methodology) throw new Error(`methodology ${results.methodology} is not installed`);
  const report = overview(results, methodology, lang);
  return {
    campaign,
    record,
    report,
    cards: report.flatMap((block) => block.lines.map((line) => ({ card: scorecard(results, methodology, lang, line.unit)! }))),
    appendix: appendix(results, methodology, lang, await appendixFacts(db, campaignId)),
    level: Math.round(results.result.level * 100),
    replicates: results.result.replicates,
    minimum: methodology.minAnswersPerUnit,
  };
}

/** The report page as one self-contained HTML document (the stylesheet inlined), for printing to PDF. */
export function reportHtml(app: Application, data: NonNullable<Awaited<ReturnType<typeof reportData>>>, lang: Lang): Promise<string> {
  const css = readFileSync(fromRoot('views', 'assets', 'app.css'), 'utf8');
  return new Promise((resolve, reject) =>
    app.render('pages/report', { ...data, lang, layout: 'print', css, print: true }, (error: Error | null, html?: string) => (error ? reject(error) : resolve(html!))),
  );
}

export class ChromiumMissing extends Error {}

/** A4 PDF of an HTML document, printed by Chromium (Debian's `chromium`) with page numbers in the footer. */
export async function printPdf(html: string, chromiumPath: string): Promise<Buffer> {
  const { chromium } = await import('playwright-core');
  let browser;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  } catch (error) {
    throw new ChromiumMissing(`Chromium could not start from ${chromiumPath}: ${(error as Error).message.split('\n')[0]}`);
  }
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: '<div style="font-size:8px;width:100%;text-align:center;color:#555"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
      margin: { top: '15mm', bottom: '18mm', left: '14mm', right: '14mm' },
    });
  } finally {
    await browser.close();
  }
}
