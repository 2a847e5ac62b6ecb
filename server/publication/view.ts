import type { Lang } from '../i18n/index.js';
import type { Catalog, Methodology } from '../questionnaires/index.js';
import type { OpenedResults, ResultsDocument } from './results.js';

/** One ranking table per block of the results, in the reader's language; small cells suppressed. Pure. */
export function rankingView(results: Pick<ResultsDocument, 'units' | 'result'>, methodology: Methodology, lang: Lang) {
  const names = new Map(results.units.map((u) => [u.code, lang === 'en' ? u.nameEn : u.nameVi]));
  const fixed = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(2));
  const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(2)}`;
  const changes = new Map((results.result.changes ?? []).map((c) => [c.unit, c]));
  const changeOf = (unit: string, suppressed: boolean) => {
    const c = changes.get(unit);
    if (!c || suppressed) return null;
    if (!c.composite) return { notComparable: c.notComparable ?? 'new', previous: c.previous.join(', ') };
    return {
      value: signed(c.composite.change),
      interval: `${signed(c.composite.ci[0])} – ${signed(c.composite.ci[1])}`,
      beyond: c.composite.beyondUncertainty,
      previousComposite: fixed(c.composite.previous),
      previousRank: c.rank?.previous ?? null,
      rise: c.rank ? (c.rank.rise > 0 ? `↑${c.rank.rise}` : c.rank.rise < 0 ? `↓${-c.rank.rise}` : '=') : '',
      previous: c.previous.join(', '),
    };
  };
  return methodology.blocks
    .map((block) => ({
      block: block.code,
      name: block.name[lang],
      hasChange: results.result.changes !== undefined,
      rows: results.result.units
        .filter((u) => u.block === block.code)
        .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || (b.composite ?? -1) - (a.composite ?? -1) || a.unit.localeCompare(b.unit))
        .map((u) => ({
          unit: u.unit,
          name: names.get(u.unit) ?? u.unit,
          rank: u.rank,
          rankRange: u.rankRange ? `${u.rankRange[0]}–${u.rankRange[1]}` : '',
          // Reports suppress figures built from fewer answers than the minimum (DESIGN §6).
          composite: u.flag === 'below-minimum' ? '—' : fixed(u.composite),
          interval: u.compositeCi && u.flag !== 'below-minimum' ? `${fixed(u.compositeCi[0])}–${fixed(u.compositeCi[1])}` : '',
          respondents: u.respondents,
          tier: u.tier === null ? '' : (block.tiers.bands[u.tier]?.label[lang] ?? ''),
          flag: u.flag,
          change: changeOf(u.unit, u.flag === 'below-minimum'),
          // Which pillars lack answers (absent from results scored before the rule named them).
          incompletePillars: u.flag === 'incomplete' ? (u.incompletePillars ?? []).map((code) => methodology.pillars.find((p) => p.code === code)?.name[lang] ?? code).join('; ') : '',
        })),
    }))
    .filter((table) => table.rows.length);
}

/** The committee's free-text answers per unit, each with its question's text, in the reader's language. */
export function freeTextView(opened: OpenedResults, catalog: Catalog, lang: Lang) {
  const names = new Map(opened.results.units.map((u) => [u.code, lang === 'en' ? u.nameEn : u.nameVi]));
  const questions = new Map([...catalog.questionnaires.values()].flatMap((form) => form.sections.flatMap((s) => s.questions)).map((q) => [q.code, q.text[lang]]));
  return (opened.freeText ?? []).map((g) => ({ unit: g.unit, name: names.get(g.unit) ?? g.unit, question: g.question, questionText: questions.get(g.question) ?? g.question, texts: g.texts, count: g.texts.length }));
}
