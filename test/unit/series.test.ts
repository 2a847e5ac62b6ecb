import type { Methodology } from '../../server/questionnaires/index.js';
import { buildMicrodata, changesFromLastYear, pastBounds, scoreMicrodata, type Microdata, type ScoringResult, type UnitScore } from '../../server/scoring/index.js';

const label = { vi: 'x', en: 'x' };

/** A unit's scores as a year's results would carry them (only what the series reads). */
function unit(code: string, composite: number | null, rank: number | null, tier: number | null = 0, block = 'b'): UnitScore {
  return { unit: code, block, respondents: 20, flag: rank === null ? 'below-minimum' : null, incompletePillars: [], indicators: [], pillars: [], composite, compositeCi: null, rank, rankRange: null, tier };
}
const result = (units: UnitScore[]): ScoringResult => ({ methodology: 't', level: 0.95, replicates: 5, bounds: {}, units });

describe('change from last year', () => {
  // This year: A renamed from OLD-A, M merged from P and Q, S1 and S2 split from R, N new, U under the minimum.
  const now = result([unit('A', 60, 1, 1), unit('M', 55, 2), unit('S1', 50, 3), unit('S2', 45, 4), unit('N', 40, 5), unit('U', 70, null)]);
  const before = result([unit('OLD-A', 50, 2, 2), unit('P', 60, 1), unit('Q', 40, 3), unit('R', 45, 4), unit('U', 48, 5)]);
  const links = [
    { code: 'A', previous: 'OLD-A' },
    { code: 'M', previous: 'P' },
    { code: 'M', previous: 'Q' },
    { code: 'S1', previous: 'R' },
    { code: 'S2', previous: 'R' },
    { code: 'U', previous: 'U' },
  ];
  // Replicates of A this year and OLD-A last year (one null: that replicate is left out).
  const composites = (values: Record<string, (number | null)[]>) => new Map(Object.entries(values));
  const changes = changesFromLastYear(
    { result: now, composites: composites({ A: [58, 61, 63, 59, null, 60, 62, 57, 64, 60, 61] }) },
    { result: before, composites: composites({ 'OLD-A': [51, 49, 52, 50, 48, 47, 53, 50, 49, 52, 51] }) },
    links,
  );
  const of = (code: string) => changes.find((c) => c.unit === code)!;

  test('a renamed unit compares with its old self; the interval of the difference is the replicates’ percentile interval, by hand', () => {
    // Differences per replicate (the fifth dropped): 7, 12, 11, 9, 13, 9, 7, 15, 8, 10 → sorted 7 7 8 9 9 10 11 12 13 15.
    // Type 7 quantiles over n = 10: 2.5 % at h = 0.225 → 7 + 0.225·0 = 7; 97.5 % at h = 8.775 → 13 + 0.775·2 = 14.55.
    expect(of('A')).toEqual({
      unit: 'A',
      previous: ['OLD-A'],
      composite: { previous: 50, change: 10, ci: [7, 14.55], beyondUncertainty: true },
      rank: { previous: 2, rise: 1 },
      tier: { previous: 2, changed: true },
    });
  });

  test('merged, split, new and unranked units are not compared, each with its reason', () => {
    expect(of('M')).toEqual({ unit: 'M', previous: ['P', 'Q'], notComparable: 'merged' });
    expect(of('S1')).toEqual({ unit: 'S1', previous: ['R'], notComparable: 'split' });
    expect(of('S2').notComparable).toBe('split');
    expect(of('N')).toEqual({ unit: 'N', previous: [], notComparable: 'new' });
    expect(of('U').notComparable).toBe('not-ranked');
  });

  test('a change whose interval holds 0 is within the uncertainty', () => {
    const [c] = changesFromLastYear(
      { result: result([unit('A', 51, 1)]), composites: composites({ A: [49, 52, 51, 50, 53] }) },
      { result: result([unit('A', 50, 1)]), composites: composites({ A: [50, 51, 50, 51, 49] }) },
      [{ code: 'A', previous: 'A' }],
    );
    expect(c!.composite).toMatchObject({ change: 1, beyondUncertainty: false });
  });

  test('a block whose indicators changed (reworded, new favourable answers, added) is not compared; other blocks are', () => {
    const year = (composite: number) => ({ result: result([unit('A', composite, 1, 0, 'b'), unit('C', composite, 1, 0, 'c')]), composites: composites({ A: [composite], C: [composite] }) });
    const links = [{ code: 'A', previous: 'A' }, { code: 'C', previous: 'C' }];
    const changes = changesFromLastYear(year(55), year(50), links, { b: ['I-A1'] });
    expect(changes.find((c) => c.unit === 'A')).toEqual({ unit: 'A', previous: ['A'], notComparable: 'indicators-changed' });
    expect(changes.find((c) => c.unit === 'C')!.composite).toMatchObject({ change: 5 });
  });
});

describe('bounds pooled over years', () => {
  test('each indicator’s min and max over past years’ units with enough answers, per block', () => {
    const withIndicators = (u: UnitScore, values: number[]) => ({ ...u, indicators: values.map((value, k) => ({ code: `I${k}`, value, se: 0, ci: null, bootstrapSe: null, valid: 20, score: null })) });
    const year1 = result([withIndicators(unit('A', 60, 1), [0.5, 10]), withIndicators(unit('B', 50, 2), [0.7, 4]), withIndicators(unit('U', null, null), [0.99, 1])]);
    const year2 = result([withIndicators(unit('A', 60, 1), [0.4, 12]), withIndicators(unit('C', 60, 1, 0, 'other'), [0.1, 30])]);
    expect(pastBounds([year1, year2])).toEqual({ b: { I0: [0.4, 0.7], I1: [4, 12] }, other: { I0: [0.1, 0.1], I1: [30, 30] } });
  });
});

describe('the series through microdata', () => {
  const methodology = (bounds: 'observed' | 'pooled'): Methodology => ({
    version: 't',
    minAnswersPerUnit: 3,
    normalisation: { method: 'min-max', scale: [1, 10], allEqualScore: 5.5, bounds, ...(bounds === 'pooled' ? { pooledYears: 2 } : {}) },
    composite: { scale: 10 },
    bootstrap: { replicates: 200, confidence: 0.95 },
    pillars: [{ code: 'P1', name: label }],
    blocks: [{ code: 'b', name: label, questionnaire: 'q', weights: { P1: 1 }, tiers: { scheme: 'fixed', bands: [{ min: 50, label }, { min: 0, label }] } }],
    indicators: [{ code: 'I1', question: 'Q1', pillar: 'P1', measure: 'share', favourable: ['yes'], direction: 'higher' }],
  });
  const year = (id: string, shares: Record<string, number>, series?: Microdata['series']) =>
    buildMicrodata({
      campaign: { id, province: 'p', year: 2025, title: 't' },
      methodology: 't',
      seed: `seed-${id}`,
      units: Object.keys(shares).map((code) => ({ code, block: 'b', nameVi: code, nameEn: code })),
      strata: Object.keys(shares).map((unit) => ({ unit, stratum: 'all', population: 100 })),
      responses: Object.entries(shares).flatMap(([unit, yes]) => Array.from({ length: 10 }, (_, i) => ({ unit, stratum: 'all', questionnaire: 'q', mode: 'online', answers: { Q1: i < yes ? 'yes' : 'no' } }))),
      minStratumRespondents: 1,
      minAnswersPerUnit: 1,
      bandOrder: [],
      ...(series ? { series } : {}),
    });

  test('pooled bounds widen this year’s observed ones with last year’s; ddci score reproduces them from the microdata', () => {
    const last = year('y2025', { A: 2, B: 9 });
    const lastResult = scoreMicrodata(last, methodology('observed'));
    const bounds = pastBounds([lastResult]);
    expect(bounds.b!.I1).toEqual([0.2, 0.9]);
    const now = year('y2026', { A: 4, B: 6 }, { previousCampaign: 'y2025', links: [{ code: 'A', previous: 'A' }, { code: 'B', previous: 'B' }], pastBounds: bounds });
    const scored = scoreMicrodata(now, methodology('pooled'), { microdata: last, methodology: methodology('observed') });
    expect(scored.bounds.b!.I1).toEqual([0.2, 0.9]);
    // A's 0.4 on bounds 0.2–0.9: 1 + 9·0.2/0.7; observed bounds alone would have made it the minimum, 1.
    expect(scored.units.find((u) => u.unit === 'A')!.composite).toBeCloseTo((1 + (9 * 0.2) / 0.7) * 10, 9);
    expect(scored.changes!.find((c) => c.unit === 'A')!.composite!.change).toBeCloseTo(scored.units[0]!.composite! - lastResult.units[0]!.composite!, 9);
    // The same microdata, scored again (as ddci score does), give the same figures.
    expect(scoreMicrodata(JSON.parse(JSON.stringify(now)) as Microdata, methodology('pooled'), { microdata: last, methodology: methodology('observed') })).toEqual(scored);
  });

  test('last year’s microdata must be the campaign this one follows', () => {
    const last = year('y2025', { A: 2, B: 9 });
    const now = year('y2026', { A: 4, B: 6 }, { previousCampaign: 'another', links: [] });
    expect(() => scoreMicrodata(now, methodology('observed'), { microdata: last, methodology: methodology('observed') })).toThrow(/follows campaign another, not y2025/);
  });
});
