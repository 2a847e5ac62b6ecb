import * as pptxgen from 'pptxgenjs';
import { translate, type Lang } from '../i18n/index.js';
import { formatDate } from '../i18n/format.js';
import type { Methodology } from '../questionnaires/index.js';
import type { ResultsDocument } from '../publication/results.js';
import { overview, type BlockOverview } from './model.js';

// The package's types describe a CommonJS module (whose `default` holds the class); Node loads its ES build,
// whose default export is the class itself. The namespace's `default` is the class at run time, typed as such.
type PptxClass = (typeof pptxgen)['default']['default'];
const PptxGenJS = pptxgen.default as unknown as PptxClass;
type Deck = InstanceType<PptxClass>;

/** A slide holds this many units: its bars and rows stay legible from the back of a conference hall. */
export const UNITS_PER_SLIDE = 12;

const COLOURS = { title: '7F1D1D', bar: 'A3191F', text: '1F2937', muted: '6B7280', header: 'F3F4F6' };
const FONT = 'Arial';

export interface SlideHeader {
  issuer: string;
  title: string;
  year: number;
  publishedAt: Date;
}

/**
 * The results conference's slides (docs/design.md §8): a title slide, then each block's ranking at 16:9 —
 * a bar chart of DDCI (native, so it can be restyled in PowerPoint or Impress) with the data table beside
 * it: rank, unit, DDCI, its interval, tier and change. A block with many units continues on further
 * slides, in rank order. Made from the same report model as the report.
 */
export async function conferenceSlides(results: Pick<ResultsDocument, 'units' | 'result'>, methodology: Methodology, lang: Lang, header: SlideHeader): Promise<Buffer> {
  const t = (key: Parameters<typeof translate>[1], params: Record<string, string | number> = {}) => translate(lang, key, params);
  const deck = new PptxGenJS();
  deck.layout = 'LAYOUT_16x9'; // 10 × 5.625 in
  deck.title = `${header.title} — ${t('slides.title')}`;
  deck.company = header.issuer;

  const cover = deck.addSlide();
  cover.addText(header.issuer, { x: 0.5, y: 0.5, w: 9, h: 0.5, fontFace: FONT, fontSize: 16, bold: true, align: 'center', color: COLOURS.text });
  cover.addText(header.title, { x: 0.5, y: 1.6, w: 9, h: 1.4, fontFace: FONT, fontSize: 30, bold: true, align: 'center', color: COLOURS.title });
  cover.addText(t('slides.subtitle', { year: header.year }), { x: 0.5, y: 3.1, w: 9, h: 0.6, fontFace: FONT, fontSize: 18, align: 'center', color: COLOURS.text });
  cover.addText(t('slides.published', { date: formatDate(header.publishedAt, lang) }), { x: 0.5, y: 4.6, w: 9, h: 0.4, fontFace: FONT, fontSize: 12, align: 'center', color: COLOURS.muted });

  for (const block of overview(results, methodology, lang)) {
    const ranked = block.lines.filter((l) => l.rank !== null && l.composite !== null);
    const pages = Math.max(1, Math.ceil(ranked.length / UNITS_PER_SLIDE));
    for (let page = 0; page < pages; page++) blockSlide(deck, block, ranked.slice(page * UNITS_PER_SLIDE, (page + 1) * UNITS_PER_SLIDE), { page, pages, year: header.year, level: Math.round(results.result.level * 100), t });
  }
  return (await deck.write({ outputType: 'nodebuffer' })) as Buffer;
}

type Line = BlockOverview['lines'][number];

function blockSlide(deck: Deck, block: BlockOverview, lines: Line[], o: { page: number; pages: number; year: number; level: number; t: (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => string }) {
  const slide = deck.addSlide();
  const part = o.pages > 1 ? ` (${o.page + 1}/${o.pages})` : '';
  slide.addText(`${o.t('slides.blockTitle', { block: block.name, year: o.year })}${part}`, { x: 0.4, y: 0.2, w: 9.2, h: 0.55, fontFace: FONT, fontSize: 20, bold: true, color: COLOURS.title });
  if (!lines.length) {
    slide.addText(o.t('slides.noneRanked'), { x: 0.4, y: 1.2, w: 9.2, h: 0.6, fontFace: FONT, fontSize: 14, color: COLOURS.muted });
    return;
  }
  // Bars top to bottom in rank order: a bar chart draws its first category at the bottom, so the lines go in reversed.
  const bars = [...lines].reverse();
  slide.addChart(deck.ChartType.bar, [{ name: 'DDCI', labels: bars.map((l) => l.name), values: bars.map((l) => Math.round(l.composite! * 100) / 100) }], {
    x: 0.2, y: 0.85, w: 4.3, h: 4.4,
    barDir: 'bar',
    chartColors: [COLOURS.bar],
    showValue: true,
    dataLabelFormatCode: '0.00',
    dataLabelFontSize: 9,
    catAxisLabelFontSize: 9,
    catAxisLabelFontFace: FONT,
    valAxisHidden: true,
    valGridLine: { style: 'none' },
    showLegend: false,
  });
  const head = (text: string) => ({ text, options: { bold: true, fill: { color: COLOURS.header } } });
  const rows = [
    [head(o.t('results.rank')), head(o.t('survey.unit')), head(o.t('results.ddci')), head(o.t('results.interval', { level: o.level })), head(o.t('results.tier')), head(o.t('results.change'))],
    ...lines.map((l) => [String(l.rank), l.name, l.compositeText, l.interval, l.tierText, l.change ? l.change.text : '—'].map((text) => ({ text }))),
  ];
  slide.addTable(rows, { x: 4.55, y: 0.85, w: 5.25, colW: [0.6, 1.4, 0.6, 1.05, 0.9, 0.7], fontFace: FONT, fontSize: 8, color: COLOURS.text, border: { type: 'solid', pt: 0.5, color: 'D1D5DB' }, valign: 'middle', rowH: 0.3 });
  slide.addText(o.t('slides.note'), { x: 0.4, y: 5.3, w: 9.2, h: 0.25, fontFace: FONT, fontSize: 8, color: COLOURS.muted });
}
