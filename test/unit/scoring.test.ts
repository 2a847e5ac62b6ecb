import { stratifiedMean, normalQuantile, shareInterval } from '../../server/scoring/estimate.js';
import { FrameCountError, indicatorValue, normalise, prepareWithReplicates, quantile, score, shareRanks, tierOf, type ScoringInput } from '../../server/scoring/index.js';
import { replicateStreams } from '../../server/scoring/random.js';
import type { Indicator, Methodology } from '../../server/questionnaires/index.js';

const label = { vi: 'x', en: 'x' };

describe('design-based estimates (svymean with strata, weights and fpc)', () => {
  test('one stratum: the mean, and SE = √((1 − n/N)·s²/n)', () => {
    const e = stratifiedMean([{ population: 10, values: [1, 0, 1, 1] }])!;
    expect(e.estimate).toBe(0.75);
    // s² = (3·0.0625 + 0.5625)/3 = 0.25; SE = √(0.6 · 0.25 / 4)
    expect(e.se).toBeCloseTo(Math.sqrt(0.6 * 0.0625), 12);
    expect(e.valid).toBe(4);
  });

  test('two strata with different weights: the weighted (ratio) mean and its linearised SE, computed by hand', () => {
    // w1 = 100/2 = 50, w2 = 300/3 = 100; Ŷ = (50·1 + 100·2)/(100 + 300) = 0.625.
    // z = w(y − Ŷ)/400: stratum 1 ±0.0625 about its mean → Σ(z − z̄)² = 0.0078125, × (1 − 2/100) · 2/1 = 0.0153125;
    // stratum 2 deviations 1/12, 1/12, −1/6 → 0.0416667, × (1 − 3/300) · 3/2 = 0.061875; V = 0.0771875.
    const e = stratifiedMean([
      { population: 100, values: [1, 0] },
      { population: 300, values: [1, 1, 0] },
    ])!;
    expect(e.estimate).toBeCloseTo(0.625, 12);
    expect(e.se).toBeCloseTo(Math.sqrt(0.0771875), 9);
  });

  test('missing answers stay in the design with no influence (domain estimation); a census has no sampling error', () => {
    const census = stratifiedMean([{ population: 3, values: [1, Number.NaN, 0] }])!;
    expect(census).toEqual({ estimate: 0.5, se: 0, valid: 2, respondents: 3, df: 2 });
    expect(stratifiedMean([{ population: 5, values: [Number.NaN, Number.NaN] }])).toBeNull();
  });

  test('three strata with missing values: the numbers R’s survey package gives', () => {
    // R 4.2, survey: d <- data.frame(stratum, N, y, days) below; w = N / n_h;
    // des <- svydesign(ids = ~1, strata = ~stratum, weights = ~w, fpc = ~N, data = d)
    // svymean(~y, des, na.rm = TRUE); svymean(~days, des, na.rm = TRUE); confint(svymean(~days, ...))
    const NA = Number.NaN;
    const share = stratifiedMean([
      { population: 120, values: [1, 0, 1, NA, 1] },
      { population: 40, values: [0, 0, 1, NA] },
      { population: 300, values: [1, 1, 0, 1, 1, NA] },
    ])!;
    expect(share.estimate).toBeCloseTo(0.75, 12);
    expect(share.se).toBeCloseTo(0.144971206223067, 12);
    const days = stratifiedMean([
      { population: 120, values: [12, 30, NA, 7, 15] },
      { population: 40, values: [40, 22, NA, 18] },
      { population: 300, values: [5, 9, 14, 11, NA, 6] },
    ])!;
    expect(days.estimate).toBeCloseTo(12.196808510638299, 10);
    expect(days.se).toBeCloseTo(1.777037960385916, 10);
    const z = normalQuantile(0.95);
    expect(days.estimate - z * days.se).toBeCloseTo(8.713878109121389, 8);
    expect(days.estimate + z * days.se).toBeCloseTo(15.679738912155209, 8);
  });

  test('normal quantiles as qnorm gives them', () => {
    expect(normalQuantile(0.95)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.9)).toBeCloseTo(1.6448536269514722, 8);
    expect(normalQuantile(0.99)).toBeCloseTo(2.5758293035489004, 8);
  });
});

describe('the steps', () => {
  const share: Indicator = { code: 'I1', question: 'Q1', pillar: 'P1', measure: 'share', favourable: ['4', '5'], direction: 'higher' };
  test('indicator values: favourable 1, other 0, "don’t know" and no answer missing (never zero)', () => {
    expect(['5', '3', 'DK', undefined].map((a) => indicatorValue(share, a))).toEqual([1, 0, Number.NaN, Number.NaN]);
    expect(indicatorValue({ ...share, measure: 'mean', direction: 'lower' }, 12)).toBe(12);
  });
  test('min–max on 1–10 with direction; equal bounds give the stated score', () => {
    expect(normalise(0.75, 1 / 3, 1, 'higher', [1, 10], 5.5)).toBeCloseTo(6.625, 12);
    expect(normalise(20, 5, 40, 'lower', [1, 10], 5.5)).toBeCloseTo(1 + (9 * 20) / 35, 12);
    expect(normalise(3, 3, 3, 'higher', [1, 10], 5.5)).toBe(5.5);
  });
  test('ties share a rank; tiers from bands; quantiles as R type 7', () => {
    expect(shareRanks([70, 90, 80, 80])).toEqual([4, 1, 2, 2]);
    const tiers = [{ min: 80, label }, { min: 50, label }, { min: 0, label }];
    expect([85, 80, 62, 49.99].map((c) => tierOf({ scheme: 'fixed', bands: tiers }, c, 1, 4))).toEqual([0, 0, 1, 2]);
    // Relative: the top fifth, the next three fifths, the rest — by place in the ranking, whatever the score.
    const relative = { scheme: 'relative' as const, bands: [{ upTo: 0.2, label }, { upTo: 0.8, label }, { upTo: 1, label }] };
    expect([1, 2, 3, 8, 9, 10].map((rank) => tierOf(relative, 50, rank, 10))).toEqual([0, 0, 1, 1, 2, 2]);
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
  });
});

const methodology: Methodology = {
  version: 'test',
  minAnswersPerUnit: 2,
  normalisation: { method: 'min-max', scale: [1, 10], allEqualScore: 5.5, bounds: 'observed' },
  composite: { scale: 10 },
  bootstrap: { replicates: 200, confidence: 0.95 },
  pillars: [
    { code: 'P1', name: label },
    { code: 'P2', name: label },
  ],
  blocks: [{ code: 'b', name: label, questionnaire: 'q', weights: { P1: 0.6, P2: 0.4 }, tiers: { scheme: 'fixed', bands: [{ min: 80, label }, { min: 50, label }, { min: 0, label }] } }],
  indicators: [
    { code: 'I1', question: 'Q1', pillar: 'P1', measure: 'share', favourable: ['4', '5'], direction: 'higher' },
    { code: 'I2', question: 'Q2', pillar: 'P1', measure: 'share', favourable: ['yes'], direction: 'higher' },
    { code: 'I3', question: 'Q3', pillar: 'P2', measure: 'mean', direction: 'lower' },
  ],
};

function input(answers: Record<string, [string, string, number | string][]>): ScoringInput & { responses: Extract<ScoringInput['responses'], readonly unknown[]> } {
  const units = Object.keys(answers);
  return {
    methodology,
    units: units.map((code) => ({ code, block: 'b' })),
    strata: units.map((unit) => ({ unit, stratum: 'all', population: 100 })),
    responses: units.flatMap((unit) => answers[unit]!.map(([Q1, Q2, Q3]) => ({ unit, stratum: 'all', answers: { Q1, Q2, Q3 } }))),
  };
}

describe('the DDCI of a unit type', () => {
  const data = {
    A: [['5', 'yes', 10], ['5', 'yes', 20], ['4', 'no', 'DK'], ['2', 'DK', 30]],
    B: [['1', 'yes', 5], ['2', 'no', 5], ['4', 'no', 5], ['DK', 'no', 5]],
    C: [['4', 'yes', 40], ['4', 'yes', 40], ['4', 'yes', 40], ['4', 'yes', 40]],
    D: [['5', 'yes', 1]],
  } as Record<string, [string, string, number | string][]>;
  const result = score(input(data), replicateStreams(7));
  const unit = (code: string) => result.units.find((u) => u.unit === code)!;

  test('indicator values, scores, pillars and composite, computed by hand (lower-is-better days included)', () => {
    const a = unit('A');
    expect(a.indicators.map((i) => i.value)).toEqual([0.75, 2 / 3, 20]);
    // I1: 1 + 9·(0.75 − 1/3)/(2/3); I2: 1 + 9·(2/3 − 1/4)/(3/4); I3 (lower is better): 1 + 9·(40 − 20)/35.
    const expected = [6.625, 6, 1 + (9 * 20) / 35];
    a.indicators.forEach((i, k) => expect(i.score).toBeCloseTo(expected[k]!, 10));
    expect(a.pillars[0]!.score).toBeCloseTo(6.3125, 10);
    expect(a.composite).toBeCloseTo((0.6 * 6.3125 + 0.4 * expected[2]!) * 10, 10);
    expect(unit('B').composite).toBeCloseTo((0.6 * 1 + 0.4 * 10) * 10, 10);
    expect(unit('C').composite).toBeCloseTo((0.6 * 10 + 0.4 * 1) * 10, 10);
    expect(['C', 'A', 'B'].map((c) => unit(c).rank)).toEqual([1, 2, 3]);
    expect(['C', 'A', 'B'].map((c) => unit(c).tier)).toEqual([1, 1, 2]);
  });

  test('a unit under the minimum is flagged, not ranked, and does not stretch the bounds', () => {
    const d = unit('D');
    expect(d).toMatchObject({ respondents: 1, flag: 'below-minimum', rank: null, rankRange: null, tier: null });
    // D's 1 day would have been the best of I3; B's 5 days still score 10.
    expect(unit('B').indicators[2]!.score).toBe(10);
  });

  test('standard errors and intervals of indicators are the design-based ones', () => {
    const a = unit('A').indicators[0]!;
    const direct = stratifiedMean([{ population: 100, values: [1, 1, 1, 0] }])!;
    expect(a.se).toBeCloseTo(direct.se, 12);
    // A share's interval is svyciprop's logit one: t with 4 − 1 degrees of freedom (qt(0.975, 3) = 3.182446305284263).
    const half = (3.182446305284263 * direct.se) / (0.75 * 0.25);
    const expit = (x: number) => 1 / (1 + Math.exp(-x));
    expect(a.ci![0]).toBeCloseTo(expit(Math.log(3) - half), 12);
    expect(a.ci![1]).toBeCloseTo(expit(Math.log(3) + half), 12);
    // A mean's stays the normal one (confint on an svymean).
    const days = unit('A').indicators[2]!;
    expect(days.ci![0]).toBeCloseTo(days.value! - normalQuantile(0.95) * days.se!, 12);
  });

  test('a share’s interval never leaves [0, 1]: at 0 or 1 it is Clopper–Pearson on the valid answers, and a census has none', () => {
    const none = { estimate: 0, se: 0, valid: 20, respondents: 22, df: 21 };
    const [zero, upper] = shareInterval(none, 0.95, 'logit', false)!;
    expect([zero, upper - (1 - 0.025 ** (1 / 20))]).toEqual([0, expect.closeTo(0, 14)]);
    const [lower, one] = shareInterval({ ...none, estimate: 1 }, 0.95, 'beta', false)!;
    expect([lower - 0.025 ** (1 / 20), one]).toEqual([expect.closeTo(0, 14), 1]);
    expect(shareInterval(none, 0.95, 'logit', true)).toEqual([0, 0]);
    const small = { estimate: 0.05, se: 0.045, valid: 20, respondents: 20, df: 19 };
    for (const method of ['logit', 'beta'] as const) {
      const [low, high] = shareInterval(small, 0.95, method, false)!;
      expect(low).toBeGreaterThan(0);
      expect(high).toBeLessThan(1);
      expect(low).toBeLessThan(0.05);
      expect(small.estimate - 1.96 * small.se).toBeLessThan(0); // where the normal interval would have gone
    }
    // Korn–Graubard with df = n − 1 and n* = p(1 − p)/SE² = 23.4568: R's qbeta(0.025, n* · 0.05, n* · 0.95 + 1) = 0.00201765466151183.
    const [kg] = shareInterval(small, 0.95, 'beta', false)!;
    expect(kg).toBeCloseTo(0.00201765466151183, 10);
  });

  test('the bootstrap is repeatable from its seed and brackets the point scores', () => {
    const again = score(input(data), replicateStreams(7));
    expect(again).toEqual(result);
    const other = score(input(data), replicateStreams(8));
    expect(other.units.map((u) => u.compositeCi)).not.toEqual(result.units.map((u) => u.compositeCi));
    for (const u of result.units.filter((x) => x.rank !== null)) {
      expect(u.compositeCi![0]).toBeLessThanOrEqual(u.composite!);
      expect(u.compositeCi![1]).toBeGreaterThanOrEqual(u.composite!);
      expect(u.rankRange![0]).toBeLessThanOrEqual(u.rank!);
      expect(u.rankRange![1]).toBeGreaterThanOrEqual(u.rank!);
    }
  });

  test('a replicate reweights each stratum as Rao–Wu’s rescaled bootstrap says, and scores those means', () => {
    // Replicate r, unit by unit in code order: n − 1 draws with replacement from streams(r) (r_i counts
    // them), factor a_i = 1 − λ + λ·n/(n − 1)·r_i with λ = √(1 − n/N); D (one respondent) draws nothing.
    const original = input(data);
    for (const r of [0, 1, 57]) {
      const random = replicateStreams(7)(r);
      const means = ['A', 'B', 'C', 'D'].map((unit) => {
        const own = original.responses.filter((x) => x.unit === unit);
        const n = own.length;
        const lambda = n < 2 ? 0 : Math.sqrt(1 - n / 100);
        const drawn = new Array<number>(n).fill(0);
        if (lambda > 0) for (let i = 1; i < n; i++) drawn[Math.floor(random() * n)]! += 1;
        const a = drawn.map((d) => (lambda > 0 ? 1 - lambda + (lambda * n * d) / (n - 1) : 1));
        return methodology.indicators.map((indicator) => {
          let sum = 0;
          let weight = 0;
          own.forEach((x, i) => {
            const y = indicatorValue(indicator, x.answers[indicator.question]);
            if (y === y) {
              sum += a[i]! * y;
              weight += a[i]!;
            }
          });
          return weight > 0 ? sum / weight : null;
        });
      });
      const [replicate] = prepareWithReplicates(original, replicateStreams(7), r, r + 1).draws.b!;
      means.forEach((row, j) =>
        row.forEach((v, k) => (v === null ? expect(replicate!.indicators[j]![k]).toBeNull() : expect(replicate!.indicators[j]![k]).toBeCloseTo(v, 12))),
      );
      // Scored from those means as the point estimates are: bounds over the ranked units A–C.
      const scores = means.map((row) =>
        row.map((v, k) => {
          const ranked = means.slice(0, 3).map((m) => m[k]!);
          return normalise(v!, Math.min(...ranked), Math.max(...ranked), methodology.indicators[k]!.direction, [1, 10], 5.5);
        }),
      );
      scores.forEach((row, j) => {
        const p1 = (row[0]! + row[1]!) / 2;
        expect(replicate!.pillars[j]![0]).toBeCloseTo(p1, 10);
        expect(replicate!.composites[j]).toBeCloseTo((0.6 * p1 + 0.4 * row[2]!) * 10, 10);
      });
      expect(replicate!.ranks[3]).toBeNull();
    }
  });

  test('a replicate’s stream skipped k numbers goes on as the stream does after drawing k (units bootstrapped one at a time draw the same)', () => {
    const streams = replicateStreams(2026);
    for (const [r, k] of [[0, 0], [3, 1], [999, 123_457]] as const) {
      const stream = streams(r);
      for (let i = 0; i < k; i++) stream();
      const skipped = streams(r, k);
      expect(Array.from({ length: 5 }, () => skipped())).toEqual(Array.from({ length: 5 }, () => stream()));
    }
  });

  test('census strata add no variance: zero-width intervals, a bootstrap SE of 0, and a single rank', () => {
    const census: ScoringInput = { ...input(data), strata: ['A', 'B', 'C', 'D'].map((unit) => ({ unit, stratum: 'all', population: data[unit]!.length })) };
    const r = score(census, replicateStreams(7));
    for (const u of r.units) {
      for (const i of u.indicators.filter((x) => x.value !== null)) {
        expect(i.se).toBe(0);
        expect(i.bootstrapSe).toBe(0);
        expect(i.ci![0]).toBe(i.ci![1]);
      }
      expect(u.compositeCi![1] - u.compositeCi![0]).toBeCloseTo(0, 10);
      if (u.rank !== null) expect(u.rankRange).toEqual([u.rank, u.rank]);
    }
  });

  test('the bootstrap SE of a mean matches its linearised SE with the finite-population correction', () => {
    // 40 of 60 businesses answered (f = 2/3): without the correction the bootstrap SE would be √3 ≈ 1.73× too large.
    const values = Array.from({ length: 40 }, (_, i) => [String(1 + (i % 5)), i % 3 ? 'yes' : 'no', (i * 7) % 23] as [string, string, number]);
    const many: Methodology = { ...methodology, bootstrap: { replicates: 4000, confidence: 0.95 } };
    const base = input({ A: values, B: values.slice(5), C: values.slice(10) });
    const r = score({ ...base, methodology: many, strata: base.strata.map((s) => ({ ...s, population: 60 })) }, replicateStreams(3));
    for (const i of r.units.find((u) => u.unit === 'A')!.indicators) {
      // The bootstrap SE from 4,000 replicates is within ±1.1 % (one SD) of its expectation; allow 6 %.
      expect(i.bootstrapSe! / i.se!).toBeGreaterThan(0.94);
      expect(i.bootstrapSe! / i.se!).toBeLessThan(1.06);
    }
  });

  test('a frame count that is missing or smaller than the respondents stops scoring with the unit and stratum named', () => {
    const short: ScoringInput = { ...input(data), strata: input(data).strata.map((s) => (s.unit === 'B' ? { ...s, population: 3 } : s)) };
    expect(() => score(short, replicateStreams(1))).toThrow(FrameCountError);
    expect(() => score(short, replicateStreams(1))).toThrow(/unit B, stratum all: frame count 3 for 4 respondents/);
    const missing: ScoringInput = { ...input(data), strata: input(data).strata.filter((s) => s.unit !== 'C') };
    expect(() => score(missing, replicateStreams(1))).toThrow(/unit C, stratum all: frame count 0/);
  });

  test('all units equal: every score is the stated value and every unit shares rank 1', () => {
    const same = [['4', 'yes', 10], ['2', 'no', 20]] as [string, string, number][];
    const r = score(input({ A: same, B: same, C: same }), replicateStreams(1));
    for (const u of r.units) {
      expect(u.indicators.map((i) => i.score)).toEqual([5.5, 5.5, 5.5]);
      expect(u.composite).toBeCloseTo(55, 10);
      expect(u.rank).toBe(1);
    }
  });

  test('a unit with no valid answers for a pillar has no composite and is not ranked; ties share a rank', () => {
    const r = score(
      input({
        A: [['5', 'yes', 10], ['4', 'yes', 10]],
        B: [['5', 'yes', 10], ['4', 'yes', 10]],
        C: [['1', 'no', 30], ['2', 'no', 20]],
        E: [['5', 'yes', 'DK'], ['4', 'yes', 'DK']],
      }),
      replicateStreams(3),
    );
    const byCode = Object.fromEntries(r.units.map((u) => [u.unit, u]));
    expect(byCode.E).toMatchObject({ flag: 'incomplete', composite: null, rank: null, incompletePillars: ['P2'] });
    expect(byCode.E!.indicators[2]).toMatchObject({ value: null, valid: 0, score: null });
    expect([byCode.A!.rank, byCode.B!.rank, byCode.C!.rank]).toEqual([1, 1, 3]);
  });
});

describe('a pillar needs enough of its indicators', () => {
  // F answered Q1 but never Q2 (only “don’t know”): pillar P1 has one of its two indicators.
  const answers = {
    A: [['5', 'yes', 10], ['4', 'no', 12]],
    B: [['2', 'no', 30], ['3', 'yes', 20]],
    F: [['5', 'DK', 15], ['4', 'DK', 11]],
  } as Record<string, [string, string, number | string][]>;
  test('by default all of them: the unit is flagged incomplete, with the pillar named, and not ranked', () => {
    const f = score(input(answers), replicateStreams(2)).units.find((u) => u.unit === 'F')!;
    expect(f).toMatchObject({ flag: 'incomplete', incompletePillars: ['P1'], composite: null, rank: null, tier: null });
    expect(f.pillars[0]!.score).toBeNull();
    expect(f.indicators[0]!.score).not.toBeNull();
  });
  test('the ranking says why: the pillars short of answers, by name', async () => {
    const { unitLines } = await import('../../server/reports/model.js');
    const named: Methodology = { ...methodology, pillars: methodology.pillars.map((p, i) => ({ ...p, name: { vi: `Trụ cột ${i + 1}`, en: `Pillar ${i + 1}` } })) };
    const result = score({ ...input(answers), methodology: named }, replicateStreams(2));
    const units = Object.keys(answers).map((code) => ({ code, block: 'b', nameVi: code, nameEn: code }));
    const lines = unitLines({ units, result }, named, 'en', 'b');
    expect(lines.find((r) => r.unit === 'F')).toMatchObject({ flag: 'incomplete', notRanked: { key: 'report.incomplete', params: { pillars: 'Pillar 1' } }, compositeText: '—' });
  });
  test('with a share of one half, the pillar is the mean of the indicators it has', () => {
    const half = { ...input(answers), methodology: { ...methodology, pillarMinIndicatorShare: 0.5 } };
    const f = score(half, replicateStreams(2)).units.find((u) => u.unit === 'F')!;
    expect(f).toMatchObject({ flag: null, incompletePillars: [] });
    expect(f.pillars[0]!.score).toBeCloseTo(f.indicators[0]!.score!, 12);
    expect(f.rank).not.toBeNull();
  });
});

describe('the ranking in reports', () => {
  /** A results document around scored units, as publication writes it. */
  const resultsDocument = (result: ReturnType<typeof score>, units: { code: string; block: string; nameVi: string; nameEn: string }[], responses: number) => ({
    format: 'DDCI-RESULTS/2' as const, disclosure: { minStratumRespondents: 5, collapsed: [] }, campaign: { id: 'c', province: 'p', year: 2026, title: 't' },
    methodology: 'test', bulletinHash: 'h', seed: 'h', responses, invalid: 0, units, result,
  });
  test('figures of a unit under the minimum are suppressed; the others in the reader’s number format', async () => {
    const { unitLines } = await import('../../server/reports/model.js');
    const data = {
      A: [['5', 'yes', 10], ['4', 'yes', 20]],
      B: [['1', 'no', 30], ['2', 'no', 20]],
      D: [['5', 'yes', 1]],
    } as Record<string, [string, string, number | string][]>;
    const result = score(input(data), replicateStreams(5));
    const units = Object.keys(data).map((code) => ({ code, block: 'b', nameVi: `Sở ${code}`, nameEn: code }));
    const document = resultsDocument(result, units, 5);
    const lines = unitLines(document, methodology, 'vi', 'b');
    const d = lines.find((r) => r.unit === 'D')!;
    expect(result.units.find((u) => u.unit === 'D')!.composite).not.toBeNull();
    expect(d).toMatchObject({ composite: null, compositeText: '—', interval: '', rank: null, flag: 'below-minimum', notRanked: { key: 'report.belowMinimum' } });
    expect(lines.find((r) => r.unit === 'A')!.compositeText).toMatch(/^\d+,\d\d$/);
    expect(unitLines(document, methodology, 'en', 'b').find((r) => r.unit === 'A')!.compositeText).toMatch(/^\d+\.\d\d$/);
  });
  test('the summary of a block with one ranked unit names it and its score — no lead, no last — and one unit withheld is said as one', async () => {
    const { findings } = await import('../../server/reports/model.js');
    const { translate } = await import('../../server/i18n/index.js');
    const data = { A: [['5', 'yes', 10], ['4', 'yes', 20]], D: [['5', 'yes', 1]] } as Record<string, [string, string, number | string][]>;
    const result = score(input(data), replicateStreams(5));
    const units = Object.keys(data).map((code) => ({ code, block: 'b', nameVi: `Sở ${code}`, nameEn: `Department ${code}` }));
    const document = resultsDocument(result, units, 3);
    const said = (lang: 'vi' | 'en') => findings(document, methodology, lang)[0]!.sentences.map((m) => translate(lang, m.key, m.params));
    const a = result.units.find((u) => u.unit === 'A')!;
    expect(said('en')).toEqual([`Only one unit had enough answers to be ranked: Department A, with ${a.composite!.toFixed(2)} points.`, 'One unit had fewer than 2 answers: its score is not published.']);
    expect(said('vi')[0]).toBe(`Chỉ một đơn vị đủ số phiếu để được xếp hạng: Sở A, với ${a.composite!.toFixed(2).replace('.', ',')} điểm.`);
  });
});
