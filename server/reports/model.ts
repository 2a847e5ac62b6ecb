import { formatChange, formatInterval, formatNumber, formatPercent } from '../i18n/format.js';
import type { Lang, Message } from '../i18n/index.js';
import type { Methodology, Text } from '../questionnaires/index.js';
import type { Codebook } from '../publication/codebook.js';
import type { ResultsDocument } from '../publication/results.js';
import type { UnitScore } from '../scoring/index.js';

/**
 * The report model (docs/design.md §8), pure: from a results document and its methodology, everything the
 * overview and the unit scorecards show, in the reader's language. Templates only display it. Every block
 * of the results is reported, whatever their number. Figures of a unit under the minimum number of answers
 * are suppressed everywhere (docs/design.md §6): such a unit is listed with its reason, never with a figure.
 */

type Results = Pick<ResultsDocument, 'units' | 'result'>;

const median = (values: number[]): number | null => {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
const suppressed = (u: UnitScore) => u.flag === 'below-minimum';
/** Heat-map level 1–5 of a 1–10 score (a colour class; the number is always shown beside it). */
const level = (score: number | null) => (score === null ? 0 : Math.min(5, Math.max(1, Math.ceil(((score - 1) / 9) * 5))));

export interface UnitLine {
  unit: string;
  name: string;
  rank: number | null;
  composite: number | null;
  compositeText: string;
  interval: string;
  rankRange: string;
  tier: number | null;
  tierText: string;
  respondents: number;
  flag: UnitScore['flag'];
  notRanked: Message | null;
  change: { text: string; interval: string; beyond: boolean; previousRank: number | null; rise: number | null } | null;
  changeNote: Message | null;
}

export function unitLines(results: Results, methodology: Methodology, lang: Lang, block: string): UnitLine[] {
  const names = new Map(results.units.map((u) => [u.code, lang === 'en' ? u.nameEn : u.nameVi]));
  const tiers = methodology.blocks.find((b) => b.code === block)?.tiers.bands ?? [];
  const changes = new Map((results.result.changes ?? []).map((c) => [c.unit, c]));
  return results.result.units
    .filter((u) => u.block === block)
    .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || (suppressed(a) ? 1 : 0) - (suppressed(b) ? 1 : 0) || (b.composite ?? -1) - (a.composite ?? -1) || a.unit.localeCompare(b.unit))
    .map((u) => {
      const hidden = suppressed(u);
      const c = hidden ? undefined : changes.get(u.unit);
      return {
        unit: u.unit,
        name: names.get(u.unit) ?? u.unit,
        rank: u.rank,
        composite: hidden ? null : u.composite,
        compositeText: hidden ? '—' : formatNumber(u.composite, 2, lang),
        interval: hidden ? '' : formatInterval(u.compositeCi, 2, lang),
        rankRange: u.rankRange ? `${u.rankRange[0]}–${u.rankRange[1]}` : '',
        tier: u.tier,
        tierText: u.tier === null ? '' : (tiers[u.tier]?.label[lang] ?? ''),
        respondents: u.respondents,
        flag: u.flag,
        notRanked: notRankedReason(u, methodology, lang),
        change: c?.composite ? { text: formatChange(c.composite.change, 2, lang), interval: `${formatChange(c.composite.ci[0], 2, lang)} – ${formatChange(c.composite.ci[1], 2, lang)}`, beyond: c.composite.beyondUncertainty, previousRank: c.rank?.previous ?? null, rise: c.rank?.rise ?? null } : null,
        changeNote: c && !c.composite ? { key: `results.notComparable.${c.notComparable ?? 'new'}` as Message['key'] } : null,
      };
    });
}

function notRankedReason(u: UnitScore, methodology: Methodology, lang: Lang): Message | null {
  if (u.flag === 'below-minimum') return { key: 'report.belowMinimum', params: { n: u.respondents, min: methodology.minAnswersPerUnit } };
  if (u.flag === 'incomplete') {
    const pillars = (u.incompletePillars ?? []).map((code) => methodology.pillars.find((p) => p.code === code)?.name[lang] ?? code).join('; ');
    return { key: 'report.incomplete', params: { pillars } };
  }
  return null;
}

export interface BlockOverview {
  code: string;
  name: string;
  lines: UnitLine[];
  stats: { ranked: number; units: number; median: string; mean: string; min: string; max: string; gap: string };
  top: UnitLine[];
  bottom: UnitLine[];
  pillars: { code: string; name: string; weight: string; leader: { unit: string; name: string; score: string } | null; median: string }[];
  heat: { pillars: { code: string; name: string }[]; rows: { unit: string; name: string; cells: { score: string; level: number }[] }[] };
  /** Ranked units whose interval overlaps the leader's: their gap to the leader is within the uncertainty. */
  closeToLeader: { unit: string; name: string; rank: number }[];
  notRanked: UnitLine[];
  hasChange: boolean;
  /** The ranked units' composites with their intervals, best first, for the bar chart (the ranking table holds the same figures). */
  chart: { labels: string[]; values: number[]; low: number[]; high: number[] };
}

export function overview(results: Results, methodology: Methodology, lang: Lang): BlockOverview[] {
  const names = new Map(results.units.map((u) => [u.code, lang === 'en' ? u.nameEn : u.nameVi]));
  return methodology.blocks.flatMap((block) => {
    const units = results.result.units.filter((u) => u.block === block.code);
    if (!units.length) return [];
    const lines = unitLines(results, methodology, lang, block.code);
    const ranked = units.filter((u) => u.rank !== null && u.composite !== null);
    const composites = ranked.map((u) => u.composite!);
    const pillarCodes = methodology.pillars.filter((p) => (block.weights[p.code] ?? 0) > 0);
    const leader = [...ranked].sort((a, b) => a.rank! - b.rank!)[0];
    const visible = units.filter((u) => !suppressed(u));
    const rankedLines = lines.filter((l) => l.rank !== null);
    return [
      {
        code: block.code,
        name: block.name[lang],
        lines,
        stats: {
          ranked: ranked.length,
          units: units.length,
          median: formatNumber(median(composites), 2, lang),
          mean: formatNumber(mean(composites), 2, lang),
          min: formatNumber(composites.length ? Math.min(...composites) : null, 2, lang),
          max: formatNumber(composites.length ? Math.max(...composites) : null, 2, lang),
          gap: formatNumber(composites.length ? Math.max(...composites) - Math.min(...composites) : null, 2, lang),
        },
        top: rankedLines.slice(0, 3),
        bottom: rankedLines.slice(-3).reverse(),
        pillars: pillarCodes.map((p) => {
          const scored = ranked.map((u) => ({ u, score: u.pillars.find((x) => x.code === p.code)?.score ?? null })).filter((x) => x.score !== null);
          const best = scored.sort((a, b) => b.score! - a.score!)[0];
          return {
            code: p.code,
            name: p.name[lang],
            weight: formatPercent(block.weights[p.code]!, 0, lang),
            leader: best ? { unit: best.u.unit, name: names.get(best.u.unit) ?? best.u.unit, score: formatNumber(best.score, 2, lang) } : null,
            median: formatNumber(median(scored.map((x) => x.score!)), 2, lang),
          };
        }),
        heat: {
          pillars: pillarCodes.map((p) => ({ code: p.code, name: p.name[lang] })),
          rows: lines
            .filter((l) => !suppressed(units.find((u) => u.unit === l.unit)!))
            .map((l) => {
              const u = visible.find((x) => x.unit === l.unit)!;
              return { unit: l.unit, name: l.name, cells: pillarCodes.map((p) => { const s = u.pillars.find((x) => x.code === p.code)?.score ?? null; return { score: formatNumber(s, 2, lang), level: level(s) }; }) };
            }),
        },
        closeToLeader: leader?.compositeCi
          ? ranked.filter((u) => u !== leader && u.compositeCi && u.compositeCi[1] >= leader.compositeCi![0]).sort((a, b) => a.rank! - b.rank!).map((u) => ({ unit: u.unit, name: names.get(u.unit) ?? u.unit, rank: u.rank! }))
          : [],
        notRanked: lines.filter((l) => l.notRanked),
        hasChange: results.result.changes !== undefined,
        chart: chartOf(ranked.sort((a, b) => a.rank! - b.rank!), names),
      },
    ];
  });
}

/**
 * The summary of findings, per block: sentences made from the figures (never written by hand) — who leads
 * and who is last, whether the lead is beyond the uncertainty, how the block's median moved against last
 * year (over the units compared), how many changes are beyond the uncertainty, and the largest rise.
 */
export function findings(results: Results, methodology: Methodology, lang: Lang): { code: string; name: string; sentences: Message[] }[] {
  const names = new Map(results.units.map((u) => [u.code, lang === 'en' ? u.nameEn : u.nameVi]));
  const changes = new Map((results.result.changes ?? []).map((c) => [c.unit, c]));
  const n = (x: number | null | undefined) => formatNumber(x, 2, lang);
  return overview(results, methodology, lang).map((block) => {
    const ranked = results.result.units.filter((u) => u.block === block.code && u.rank !== null && u.composite !== null).sort((a, b) => a.rank! - b.rank!);
    const sentences: Message[] = [];
    const first = ranked[0];
    const last = ranked.at(-1);
    if (!first || !last) return { code: block.code, name: block.name, sentences: [{ key: 'summary.noneRanked' }] };
    // One ranked unit leads no one: it is named with its score, and nothing is said of a lead or a last.
    if (ranked.length === 1) sentences.push({ key: 'summary.onlyRanked', params: { leader: names.get(first.unit)!, score: n(first.composite) } });
    else {
      sentences.push({ key: 'summary.leader', params: { ranked: ranked.length, leader: names.get(first.unit)!, score: n(first.composite), last: names.get(last.unit)!, lastScore: n(last.composite), gap: n(first.composite! - last.composite!) } });
      const close = block.closeToLeader.length;
      sentences.push(close === 0 ? { key: 'summary.clearLeader', params: { leader: names.get(first.unit)! } } : close === 1 ? { key: 'summary.closeToLeaderOne' } : { key: 'summary.closeToLeader', params: { count: close } });
    }
    const compared = ranked.flatMap((u) => {
      const c = changes.get(u.unit)?.composite;
      return c ? [{ unit: u.unit, now: u.composite!, ...c }] : [];
    });
    if (compared.length === 1) {
      // A median, a count of changes and a "largest rise" of one unit would be the same figure three times.
      const only = compared[0]!;
      sentences.push({ key: 'summary.oneCompared', params: { unit: names.get(only.unit)!, now: n(only.now), before: n(only.previous), change: formatChange(only.change, 2, lang), verdict: only.beyondUncertainty ? 'summary.verdictBeyond' : 'summary.verdictWithin' } });
    } else if (compared.length) {
      sentences.push({ key: 'summary.median', params: { now: n(median(compared.map((c) => c.now))), before: n(median(compared.map((c) => c.previous))), count: compared.length } });
      const beyond = compared.filter((c) => c.beyondUncertainty);
      sentences.push({ key: 'summary.beyond', params: { beyond: beyond.length, count: compared.length, up: beyond.filter((c) => c.change > 0).length, down: beyond.filter((c) => c.change < 0).length } });
      const rise = [...compared].sort((a, b) => b.change - a.change)[0]!;
      if (rise.change > 0) sentences.push({ key: rise.beyondUncertainty ? 'summary.mostImproved' : 'summary.mostImprovedWithin', params: { unit: names.get(rise.unit)!, change: formatChange(rise.change, 2, lang) } });
    }
    const withheld = results.result.units.filter((u) => u.block === block.code && suppressed(u)).length;
    if (withheld) sentences.push({ key: withheld === 1 ? 'summary.withheldOne' : 'summary.withheld', params: { count: withheld, min: methodology.minAnswersPerUnit } });
    return { code: block.code, name: block.name, sentences };
  });
}

function chartOf(ranked: UnitScore[], names: Map<string, string>): BlockOverview['chart'] {
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    labels: ranked.map((u) => names.get(u.unit) ?? u.unit),
    values: ranked.map((u) => round(u.composite!)),
    low: ranked.map((u) => round(u.compositeCi?.[0] ?? u.composite!)),
    high: ranked.map((u) => round(u.compositeCi?.[1] ?? u.composite!)),
  };
}

export interface Scorecard {
  unit: string;
  name: string;
  block: { code: string; name: string };
  /** Why no figure is shown (a unit under the minimum): then nothing else is filled. */
  withheld: Message | null;
  line: UnitLine | null;
  pillars: { code: string; name: string; score: string; value: number | null; median: string; medianValue: number | null; best: string; bestValue: number | null; interval: string }[];
  indicators: { code: string; pillar: string; question: string; wording: string; value: string; interval: string; score: string; valid: number; median: string; best: string; relative: number | null }[];
  strongest: Scorecard['indicators'];
  weakest: Scorecard['indicators'];
}

/** Question code → wording, of a block's questionnaire: an indicator is named by the question it measures. */
export type Wording = (block: string) => ReadonlyMap<string, Text>;

/** One unit's scorecard: its pillars and indicators against its block's median and best, indicators named by their question's wording. */
export function scorecard(results: Results, methodology: Methodology, lang: Lang, code: string, wording?: Wording): Scorecard | null {
  const u = results.result.units.find((x) => x.unit === code);
  const named = results.units.find((x) => x.code === code);
  const block = u && methodology.blocks.find((b) => b.code === u.block);
  if (!u || !named || !block) return null;
  const base = { unit: code, name: lang === 'en' ? named.nameEn : named.nameVi, block: { code: block.code, name: block.name[lang] } };
  if (suppressed(u)) return { ...base, withheld: notRankedReason(u, methodology, lang), line: null, pillars: [], indicators: [], strongest: [], weakest: [] };
  const peers = results.result.units.filter((x) => x.block === u.block && x.rank !== null);
  const line = unitLines(results, methodology, lang, block.code).find((l) => l.unit === code)!;
  const pillars = u.pillars.map((p) => {
    const scores = peers.map((x) => x.pillars.find((y) => y.code === p.code)?.score ?? null).filter((s): s is number => s !== null);
    const med = median(scores);
    const best = scores.length ? Math.max(...scores) : null;
    return {
      code: p.code,
      name: methodology.pillars.find((x) => x.code === p.code)?.name[lang] ?? p.code,
      score: formatNumber(p.score, 2, lang),
      value: p.score,
      median: formatNumber(med, 2, lang),
      medianValue: med,
      best: formatNumber(best, 2, lang),
      bestValue: best,
      interval: formatInterval(p.ci, 2, lang),
    };
  });
  const questions = wording?.(block.code);
  const indicators = u.indicators.map((i) => {
    const definition = methodology.indicators.find((x) => x.code === i.code)!;
    const scores = peers.map((x) => x.indicators.find((y) => y.code === i.code)?.score ?? null).filter((s): s is number => s !== null);
    const med = median(scores);
    const share = definition.measure === 'share';
    const show = (x: number | null) => (share ? formatPercent(x, 1, lang) : formatNumber(x, 1, lang));
    return {
      code: i.code,
      pillar: definition.pillar,
      question: definition.question,
      wording: questions?.get(definition.question)?.[lang] ?? '',
      value: show(i.value),
      interval: i.ci ? `${show(i.ci[0])} – ${show(i.ci[1])}` : '',
      score: formatNumber(i.score, 2, lang),
      valid: i.valid,
      median: formatNumber(med, 2, lang),
      best: formatNumber(scores.length ? Math.max(...scores) : null, 2, lang),
      relative: i.score !== null && med !== null ? i.score - med : null,
    };
  });
  const ordered = indicators.filter((i) => i.relative !== null).sort((a, b) => b.relative! - a.relative! || a.code.localeCompare(b.code));
  return { ...base, withheld: null, line, pillars, indicators, strongest: ordered.slice(0, 3), weakest: ordered.slice(-3).reverse() };
}

export interface AppendixFacts {
  /** Per unit: businesses in the frame, drawn, invited (replacements included) and answered. */
  units: { code: string; frame: number; sample: number; invited: number; answered: number }[];
}

/** The methodology and response appendix: what was measured, how it was scored, who answered. */
export function appendix(results: Results, methodology: Methodology, lang: Lang, facts: AppendixFacts) {
  const names = new Map(results.units.map((u) => [u.code, lang === 'en' ? u.nameEn : u.nameVi]));
  const byUnit = new Map(facts.units.map((u) => [u.code, u]));
  const present = new Set(results.units.map((u) => u.block));
  return {
    minimum: methodology.minAnswersPerUnit,
    scale: `${formatNumber(methodology.normalisation.scale[0], 0, lang)}–${formatNumber(methodology.normalisation.scale[1], 0, lang)}`,
    bounds: methodology.normalisation.bounds,
    replicates: methodology.bootstrap.replicates,
    level: formatPercent(methodology.bootstrap.confidence, 0, lang),
    blocks: methodology.blocks
      .filter((b) => present.has(b.code))
      .map((b) => {
        const units = results.units.filter((u) => u.block === b.code).map((u) => {
          const f = byUnit.get(u.code);
          return { code: u.code, name: names.get(u.code) ?? u.code, frame: f?.frame ?? 0, sample: f?.sample ?? 0, invited: f?.invited ?? 0, answered: f?.answered ?? 0, rate: formatPercent(f && f.invited ? f.answered / f.invited : null, 1, lang) };
        });
        const total = (k: 'frame' | 'sample' | 'invited' | 'answered') => units.reduce((a, u) => a + u[k], 0);
        return {
          code: b.code,
          name: b.name[lang],
          questionnaire: b.questionnaire,
          weights: methodology.pillars.filter((p) => b.weights[p.code]).map((p) => ({ name: p.name[lang], weight: formatPercent(b.weights[p.code]!, 0, lang) })),
          tiers:
            b.tiers.scheme === 'fixed'
              ? b.tiers.bands.map((t) => ({ label: t.label[lang], rule: `≥ ${formatNumber(t.min, 0, lang)}` }))
              : b.tiers.bands.map((t, i, all) => ({ label: t.label[lang], rule: `${formatPercent(i ? all[i - 1]!.upTo : 0, 0, lang)}–${formatPercent(t.upTo, 0, lang)}` })),
          units,
          totals: { frame: total('frame'), sample: total('sample'), invited: total('invited'), answered: total('answered'), rate: formatPercent(total('invited') ? total('answered') / total('invited') : null, 1, lang) },
        };
      }),
    pillars: methodology.pillars.map((p) => ({
      code: p.code,
      name: p.name[lang],
      indicators: methodology.indicators
        .filter((i) => i.pillar === p.code)
        .map((i) => ({ code: i.code, question: i.question, rule: i.measure === 'share' ? `${i.favourable?.join(', ')}` : lang === 'en' ? 'mean' : 'trung bình', direction: i.direction })),
    })),
  };
}

/**
 * The method in one page, for a reader who will not open the appendix: who answered and how they were chosen,
 * how answers become scores, what the intervals mean, what is withheld and how answers are protected — each a
 * sentence made from the campaign's figures and its methodology — and the pillar weights of every block.
 */
export function methodPage(shown: ReturnType<typeof appendix>, methodology: Methodology, lang: Lang) {
  const sum = (k: 'frame' | 'invited' | 'answered') => shown.blocks.reduce((a, b) => a + b.totals[k], 0);
  const n = (x: number) => formatNumber(x, 0, lang);
  const invited = sum('invited');
  const pillars = methodology.pillars.filter((p) => shown.blocks.some((b) => b.weights.some((w) => w.name === p.name[lang])));
  const sentences: Message[] = [
    { key: 'method.who', params: { answered: n(sum('answered')), invited: n(invited), rate: formatPercent(invited ? sum('answered') / invited : null, 1, lang), frame: n(sum('frame')), units: n(shown.blocks.reduce((a, b) => a + b.units.length, 0)) } },
    { key: 'method.blocks', params: { count: shown.blocks.length, list: shown.blocks.map((b) => `${b.name} (${n(b.units.length)})`).join('; ') } },
    { key: 'method.scoring', params: { indicators: methodology.indicators.length, pillars: pillars.length, scale: shown.scale } },
    { key: `report.bounds.${shown.bounds}` },
    { key: 'method.uncertainty', params: { level: shown.level, replicates: n(shown.replicates) } },
    { key: 'method.minimum', params: { minimum: shown.minimum } },
    { key: 'method.protection' },
    { key: 'method.details' },
  ];
  return {
    sentences,
    blocks: shown.blocks.map((b) => b.name),
    weights: pillars.map((p) => ({ name: p.name[lang], weights: shown.blocks.map((b) => b.weights.find((w) => w.name === p.name[lang])?.weight ?? '—') })),
  };
}

/** A codebook's value labels or missing codes, each code with its label in the reader's language ('' is the empty cell). */
const codePairs = (labels: Record<string, { vi: string; en: string }> | undefined, lang: Lang) =>
  Object.entries(labels ?? {}).map(([code, label]) => ({ code: code === '' ? (lang === 'en' ? '(empty)' : '(trống)') : code, label: label[lang] }));

/** "1 = Rất không đồng ý; 2 = …" — the same in one line, for a spreadsheet cell. */
export const codeList = (labels: Record<string, { vi: string; en: string }> | undefined, lang: Lang) =>
  codePairs(labels, lang)
    .map(({ code, label }) => `${code} = ${label}`)
    .join('; ');

/** The codebook as a page: every column with its text, type, codes and derivation; the rules; the R script. */
export function codebookView(book: Codebook, lang: Lang) {
  return {
    file: book.file,
    responses: book.microdata.responses,
    variables: book.variables.map((v) => ({
      name: v.name,
      role: v.role,
      label: v.label[lang],
      type: v.type,
      values: codePairs(v.valueLabels, lang),
      missing: codePairs(v.missing, lang),
      derivation: v.derivation?.[lang] ?? '',
    })),
    rules: book.rules.map((r) => r[lang]),
    collapsed: book.disclosure.collapsed.map((c) => `${c.unit}: ${c.strata.join(' + ')} → ${c.into}`),
    script: book.r.script,
  };
}
