import { loadCatalog, type Methodology } from '../../server/questionnaires/index.js';
import { completesNeeded, marginFor, planUnit, DEFAULT_DESIGN, zFor } from '../../server/sampling/design.js';
import { assumedSpread, plannedPrecision, RELIABLE_RANKING, type PastUnit } from '../../server/sampling/precision.js';

/** Precision planned before the draw (server/sampling/precision.ts): the margins, the reliability rule and the suggested sample. */
const label = { vi: 'x', en: 'x' };
const methodology: Methodology = {
  ...loadCatalog().methodology,
  pillars: [
    { code: 'P1', name: label },
    { code: 'P2', name: label },
  ],
  blocks: [{ code: 'b', name: label, questionnaire: 'q', weights: { P1: 0.5, P2: 0.5 }, tiers: { scheme: 'fixed', bands: [{ min: 0, label }] } }],
  indicators: [
    { code: 'I1', question: 'Q1', pillar: 'P1', measure: 'share', favourable: ['yes'], direction: 'higher' },
    { code: 'I2', question: 'Q2', pillar: 'P1', measure: 'share', favourable: ['yes'], direction: 'higher' },
    { code: 'I3', question: 'Q3', pillar: 'P2', measure: 'share', favourable: ['yes'], direction: 'higher' },
  ],
};
const codes = ['A', 'B', 'C', 'D'];
const plans = codes.map((code) => planUnit(code, [{ sizeBand: 'unknown', size: 200, spread: 0 }], { ...DEFAULT_DESIGN, minPerUnit: 50, maxPerUnit: 50 }));
const blockOf = new Map(codes.map((c) => [c, 'b']));
const input = { plans, blockOf, methodology, confidence: 0.95, responseRate: 0.4 };

test('without last year: the DDCI spread assumed from independent shares at 50 %, the share margin from the design, and a warning past ±10 points', () => {
  // σ = ½ · 9 · 10 · √(2·(0.5/2)² + 0.5²) = 45 · √0.375.
  expect(assumedSpread(methodology, 'b')).toBeCloseTo(45 * Math.sqrt(0.375), 12);
  const { units, blocks } = plannedPrecision(input);
  const z = zFor(0.95);
  expect(units[0]).toMatchObject({ expectedAnswers: 20, rateFromLastYear: false, basis: 'assumed' });
  expect(units[0]!.shareMargin).toBeCloseTo(marginFor(200, 20, z), 12);
  expect(units[0]!.compositeMargin).toBeCloseTo(z * Math.sqrt((45 ** 2 * 0.375 * (1 - 20 / 200)) / 20), 10);
  expect(units[0]!.detectable).toBeCloseTo(Math.SQRT2 * units[0]!.compositeMargin, 10);
  expect(blocks).toEqual([expect.objectContaining({ block: 'b', units: 4, reliability: null, noisy: true })]);
  // ±10 points needs 66 answers of 200 (Cochran with the fpc): 165 invitations at 40 %.
  expect(completesNeeded(200, 0.1, z)).toBe(66);
  expect(blocks[0]!.suggestedPerUnit).toBe(165);
});

test('the sample suggested is a whole number of businesses, at most the median frame, when that median falls between two frames', () => {
  // Frames of 20, 20, 21 and 21 businesses: their median is 20.5; a census is all the design can ask for.
  const small = ['A', 'B', 'C', 'D'].map((code, i) => planUnit(code, [{ sizeBand: 'unknown', size: i < 2 ? 20 : 21, spread: 0 }], { ...DEFAULT_DESIGN, minPerUnit: 5, maxPerUnit: 5 }));
  const { blocks } = plannedPrecision({ ...input, plans: small });
  expect(blocks[0]!.suggestedPerUnit).toBe(20);
});

test('with last year: its intervals give each unit’s spread and its response rate; the ranking is warned when its reliability falls under 0.7', () => {
  const pastWith = (composites: number[], halfWidth: number) =>
    new Map<string, PastUnit>(codes.map((c, i) => [c, { respondents: 25, composite: composites[i]!, compositeCi: [composites[i]! - halfWidth, composites[i]! + halfWidth], planned: 50, frameSize: 200 }]));
  const apart = plannedPrecision({ ...input, past: pastWith([40, 55, 70, 85], 3) });
  expect(apart.units[0]).toMatchObject({ responseRate: 0.5, rateFromLastYear: true, expectedAnswers: 25, basis: 'last-year' });
  // Same answers, same frame: this year's SE is last year's (half-width 3 at 95 %).
  expect(apart.units[0]!.compositeMargin).toBeCloseTo(3 * (zFor(0.95) / zFor(methodology.bootstrap.confidence)), 9);
  expect(apart.blocks[0]!.reliability!).toBeGreaterThan(0.9);
  expect(apart.blocks[0]!.noisy).toBe(false);

  const close = plannedPrecision({ ...input, past: pastWith([57, 60, 63, 66], 6) });
  const se = 6 / zFor(0.95);
  const tau2 = (4.5 ** 2 + 1.5 ** 2 + 1.5 ** 2 + 4.5 ** 2) / 3 - se * se; // the composites' variance less their SE²
  expect(close.blocks[0]!.reliability!).toBeCloseTo(tau2 / (tau2 + se * se), 9);
  expect(close.blocks[0]!.reliability!).toBeLessThan(RELIABLE_RANKING);
  expect(close.blocks[0]!.noisy).toBe(true);
  // The suggestion reaches reliability 0.8: SE² = τ²/4 with (1 − m/N)·σ²/m, σ² = SE²·25/(1 − 25/200).
  const s2 = (se * se * 25) / (1 - 25 / 200);
  const m = s2 / (tau2 / 4 + s2 / 200);
  expect(close.blocks[0]!.suggestedPerUnit).toBe(Math.ceil(m / 0.5));

  // Units that did not differ beyond their uncertainty: no sample makes a ranking of them.
  const same = plannedPrecision({ ...input, past: pastWith([60, 60.5, 60, 60.5], 6) });
  expect(same.blocks[0]).toMatchObject({ reliability: 0, noisy: true, suggestedPerUnit: null });
});
