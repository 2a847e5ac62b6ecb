import { readFileSync } from 'node:fs';
import type { Application } from 'express';
import { findCampaign, type CampaignRow } from '../campaigns/queries.js';
import type { Db } from '../db/client.js';
import type { Lang } from '../i18n/index.js';
import { fromRoot } from '../paths.js';
import { publishedResults, type Published } from '../publication/service.js';
import { blockQuestionnaire, questionsOf, type Catalog, type Methodology } from '../questionnaires/index.js';
import { translate } from '../i18n/index.js';
import { withPrintingPage } from './browser.js';
import { completeContents, type ContentsLine } from './contents.js';
import { appendix, findings, methodPage, overview, scorecard, type AppendixFacts, type Wording } from './model.js';
import { appendixFacts } from './service.js';
import { historyChart, publishedSeries, unitHistory, type SeriesYear } from './history.js';

/** What the report's header needs of the campaign. */
type ReportCampaign = Pick<CampaignRow, 'id' | 'province' | 'year' | 'title' | 'reportIssuer' | 'reportTitle'>;

/**
 * Everything the full report shows, pure: the cover, the summary of findings, the contents (each entry names
 * the heading it points to, whose printed page `printPdf` fills in), the method in one page, the overview of
 * every block, every scorecard and the appendix.
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
  const shownAppendix = appendix(results, methodology, lang, facts);
  return {
    campaign,
    record,
    findings: findings(results, methodology, lang),
    contents: [
      { level: 1, target: 'summary', title: t('summary.title') },
      { level: 1, target: 'method', title: t('method.title') },
      ...report.map((b) => ({ level: 1, target: `block-${b.code}`, title: b.name })),
      { level: 1, target: 'profiles', title: t('report.profiles') },
      ...cards.map(({ card }) => ({ level: 2, target: `unit-${card.unit}`, title: t('report.scorecardOf', { name: card.name }) })),
      { level: 1, target: 'appendix', title: t('report.appendix') },
    ],
    report,
    cards,
    method: methodPage(shownAppendix, methodology, lang),
    appendix: shownAppendix,
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

/** The stylesheets of the printed documents, written into the page Chromium prints (no server to fetch them from). */
const PRINT_STYLES = [fromRoot('views', 'assets', 'app.css'), fromRoot('reports', 'assets', 'report-print.css')];

/**
 * The printed documents' typeface, Arimo (Arial's metrics, with every Vietnamese letter; npm @fontsource/arimo),
 * as data: URLs, since the page Chromium prints has no server to fetch from. Without it Chromium takes Liberation
 * Sans for Arial, which lacks letters such as "ỉ": the fallback glyph then splits the word in the PDF's text
 * ("tỉ nh"), and search and copy fail.
 */
let printFontFaces: string | undefined;
function printFonts(): string {
  const folder = fromRoot('node_modules', '@fontsource', 'arimo');
  const inline = (file: string) => `url(data:font/woff2;base64,${readFileSync(`${folder}/files/${file}`).toString('base64')}) format('woff2')`;
  return (printFontFaces ??= ['400', '700', '400-italic', '700-italic']
    .flatMap((weight) => readFileSync(`${folder}/${weight}.css`, 'utf8').split(/(?=\/\* arimo-)/))
    .filter((face) => /^\/\* arimo-(vietnamese|latin|latin-ext)-\d/.test(face))
    .map((face) => face.replace(/url\(\.\/files\/([^)]+\.woff2)\) format\('woff2'\)(, url\([^)]+\) format\('woff'\))?/, (_, file: string) => inline(file)))
    .join('\n'));
}

/** The scripts that draw the report's charts, written into the page Chromium prints. */
const CHART_SCRIPTS = [
  fromRoot('node_modules', 'chart.js', 'dist', 'chart.umd.min.js'),
  fromRoot('node_modules', 'chartjs-chart-error-bars', 'build', 'index.umd.min.js'),
  fromRoot('reports', 'assets', 'report-charts.js'),
];
let printAssets: { styles: string; scripts: string } | undefined;
/** A document with the print's fonts and stylesheets at the end of its head and the chart scripts at the end of its body. */
function withPrintAssets(html: string): string {
  printAssets ??= {
    styles: [printFonts(), ...PRINT_STYLES.map((path) => readFileSync(path, 'utf8'))].map((css) => `<style>${css}</style>`).join('\n'),
    scripts: CHART_SCRIPTS.map((path) => `<script>${readFileSync(path, 'utf8')}</script>`).join('\n'),
  };
  const { styles, scripts } = printAssets;
  const body = html.lastIndexOf('</body>');
  const head = html.indexOf('</head>');
  return html.slice(0, head) + styles + html.slice(head, body) + scripts + html.slice(body);
}

/** The printable width of A4 between 14 mm margins, in CSS pixels: charts are drawn at the size they print. */
const A4_CONTENT_WIDTH = 688;

/** The whole report as an A4 PDF, printed by Chromium (server/reports/browser.ts) with its charts drawn. */
export async function reportPdf(app: Application, data: ReportDocument & { emblem?: string }, lang: Lang, chromiumPath: string | undefined): Promise<Buffer> {
  return printPdf(await reportHtml(app, data, lang), chromiumPath);
}

/**
 * A4 PDF of an HTML document. Margins and page numbers come from the document's @page rule. A document with
 * a contents list (`[data-contents-line]` links) is printed once, untagged, and its contents' page numbers
 * and outline are written into the PDF (server/reports/contents.ts); any other is printed tagged, with an
 * outline from its headings.
 */
export async function printPdf(html: string, chromiumPath: string | undefined): Promise<Buffer> {
  return withPrintingPage(chromiumPath, { width: A4_CONTENT_WIDTH, height: 1000 }, async (page) => {
    // Print media, styles, fonts and chart scripts in the document itself: it is laid out once.
    await page.emulateMedia({ media: 'print' });
    await page.setContent(withPrintAssets(html), { waitUntil: 'load' });
    await page.waitForFunction('document.fonts.status === "loaded"');
    const lines: ContentsLine[] = await page.$$eval('[data-contents-line]', (links) => {
      // An empty inline-block sits on the baseline: where the last row of a line's text stands. All are added
      // before any is measured, so the document is laid out once more, not once a line.
      const names = links.map((link) => link.querySelector('.contents-name') ?? link);
      const markers = names.map((name) => {
        const marker = name.appendChild(name.ownerDocument.createElement('span'));
        Object.assign(marker.style, { display: 'inline-block', width: '0', height: '0' });
        return marker;
      });
      const measured = links.map((link, i) => {
        const name = names[i]!;
        const style = name.ownerDocument.defaultView!.getComputedStyle(name);
        const color = (style.color.match(/[\d.]+/g) ?? []).slice(0, 3).map((c: string) => Number(c) / 255);
        const above = link.getBoundingClientRect().bottom - markers[i]!.getBoundingClientRect().bottom;
        // CSS pixels to PDF points (96 to 72 an inch).
        return { target: link.getAttribute('data-contents-line')!, title: (name.textContent ?? '').trim(), level: Number(link.getAttribute('data-level') ?? 1), fontSize: parseFloat(style.fontSize) * 0.75, baseline: above * 0.75, color };
      });
      markers.forEach((marker) => marker.remove());
      return measured;
    });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, ...(lines.length ? {} : { outline: true, tagged: true }) });
    return lines.length ? Buffer.from(await completeContents(pdf, lines)) : pdf;
  });
}
