import { findCampaign, listUnitLinks, type CampaignRow } from '../campaigns/queries.js';
import type { Db } from '../db/client.js';
import { formatInterval, formatNumber } from '../i18n/format.js';
import type { Lang } from '../i18n/index.js';
import { publishedFigures } from '../publication/service.js';

/** A unit's DDCI in one published campaign of its series. */
export interface YearPoint {
  year: number;
  /** The unit's code that year (a renamed unit had another). */
  code: string;
  composite: number;
  ci: [number, number] | null;
  rank: number | null;
}

/** How far back a profile looks. */
const MAX_YEARS = 10;

/** One published campaign of a series: its year, its units' scores, and its links to the campaign before. */
export interface SeriesYear {
  year: number;
  units: ReadonlyMap<string, { composite: number | null; ci: [number, number] | null; rank: number | null; flag?: string | null | undefined }>;
  /** code → the codes it continues last year (no entry: the same code). */
  previous: ReadonlyMap<string, string[]>;
}

/** The campaign and the earlier published ones of its series, newest first, each read once. */
export async function publishedSeries(db: Db, campaignId: string): Promise<SeriesYear[]> {
  const years: SeriesYear[] = [];
  let id: string | null = campaignId;
  while (id && years.length < MAX_YEARS) {
    const campaign: CampaignRow | undefined = await findCampaign(db, id);
    const published = await publishedFigures(db, id);
    if (!campaign || !published) break;
    const previous = new Map<string, string[]>();
    for (const l of await listUnitLinks(db, campaign.id)) previous.set(l.code, [...(previous.get(l.code) ?? []), l.previous]);
    years.push({ year: campaign.year, units: new Map(published.results.result.units.map((u) => [u.unit, { composite: u.composite, ci: u.compositeCi, rank: u.rank, flag: u.flag }])), previous });
    id = campaign.previousCampaignId;
  }
  return years;
}

/**
 * A unit's series (issue 23), pure: its DDCI in each year of `series`, following the unit links back while
 * the unit continues exactly one unit (a merged or split unit's past is not its own) and was scored that
 * year (a unit under the minimum has no figure). Oldest first.
 */
export function unitHistory(series: readonly SeriesYear[], code: string): YearPoint[] {
  const points: YearPoint[] = [];
  let current = code;
  for (const year of series) {
    const unit = year.units.get(current);
    if (!unit || unit.composite === null || unit.flag === 'below-minimum') break;
    points.unshift({ year: year.year, code: current, composite: unit.composite, ci: unit.ci, rank: unit.rank });
    const previous = year.previous.get(current) ?? [current];
    if (previous.length !== 1) break;
    current = previous[0]!;
  }
  return points;
}

const WIDTH = 320;
const HEIGHT = 120;
const PAD = { left: 16, right: 16, top: 18, bottom: 26 };

/**
 * The series as a small chart's geometry, pure: each year's DDCI as a point with its interval as a bar,
 * on a scale from just under the lowest interval to just over the highest; null under two years.
 */
export function historyChart(points: readonly YearPoint[], lang: Lang) {
  if (points.length < 2) return null;
  const lows = points.map((p) => p.ci?.[0] ?? p.composite);
  const highs = points.map((p) => p.ci?.[1] ?? p.composite);
  const min = Math.floor(Math.min(...lows) - 1);
  const max = Math.ceil(Math.max(...highs) + 1);
  const y = (v: number) => PAD.top + ((max - v) / (max - min)) * (HEIGHT - PAD.top - PAD.bottom);
  const step = (WIDTH - PAD.left - PAD.right) / (points.length - 1);
  const round = (v: number) => Math.round(v * 10) / 10;
  const marks = points.map((p, i) => ({
    year: p.year,
    x: round(PAD.left + i * step),
    y: round(y(p.composite)),
    low: round(y(p.ci?.[0] ?? p.composite)),
    high: round(y(p.ci?.[1] ?? p.composite)),
    value: formatNumber(p.composite, 2, lang),
    interval: formatInterval(p.ci, 2, lang),
    rank: p.rank,
  }));
  return { width: WIDTH, height: HEIGHT, baseline: HEIGHT - 6, marks, line: marks.map((m) => `${m.x},${m.y}`).join(' ') };
}
