import { fieldworkProgress } from '../../server/invitations/monitoring.js';
import { curveFromDays, DEFAULT_CURVE, projectedCampaignRate, unitOutlook } from '../../server/invitations/outlook.js';
import { seededRandom } from '../../server/scoring/random.js';

const units = [
  { code: 'SXD', block: 'provincial', name: 'Sở Xây dựng' },
  { code: 'STC', block: 'provincial', name: 'Sở Tài chính' },
  { code: 'XCL', block: 'commune', name: 'Xã Chi Lăng' },
  { code: 'HQ', block: 'central', name: 'Hải quan' },
];
const blocks = [
  { code: 'provincial', name: 'Sở, ban, ngành' },
  { code: 'central', name: 'Cơ quan trung ương' },
  { code: 'commune', name: 'Xã, phường' },
];
const rates = [
  { unitCode: 'SXD', invited: 40, answered: 20 },
  { unitCode: 'STC', invited: 40, answered: 6 },
  { unitCode: 'XCL', invited: 20, answered: 3 },
  { unitCode: 'HQ', invited: 0, answered: 0 },
];

test('totals, blocks in the methodology’s order; early in fieldwork a slow start is not a risk, no invitation is', () => {
  // A quarter into fieldwork the default curve expects half the final answers: 29 % so far → about 55 % at the close.
  const p = fieldworkProgress(units, blocks, rates, 10, 'rate', { elapsed: 0.25, curve: DEFAULT_CURVE, plannedRate: 0.4 });
  expect(p.totals).toEqual({ invited: 100, answered: 29, rate: 0.29 });
  expect(p.elapsedPercent).toBe(25);
  expect(p.blocks.map((b) => b.code)).toEqual(['provincial', 'central', 'commune']);
  const provincial = p.blocks[0]!;
  expect(provincial.totals).toEqual({ invited: 80, answered: 26, rate: 26 / 80 });
  expect(provincial.units.map((u) => [u.code, u.status])).toEqual([
    ['STC', 'onTrack'], // weakest first
    ['SXD', 'reached'],
  ]);
  const stc = provincial.units[0]!;
  expect(stc.projected).toBeGreaterThan(10);
  expect(stc.low).toBeLessThanOrEqual(stc.projected);
  expect(stc.high).toBeGreaterThanOrEqual(stc.projected);
  expect(p.atRisk.map((u) => u.code)).toContain('HQ');
  expect(p.atRisk.find((u) => u.code === 'HQ')!.riskPercent).toBe(100);
});

test('in the first days, with hardly any answers yet, the design’s expected rate is the projection: only too few invitations alarm', () => {
  const none = rates.map((r) => ({ ...r, answered: 0 }));
  const p = fieldworkProgress(units, blocks, none, 10, 'rate', { elapsed: 0.04, curve: DEFAULT_CURVE, plannedRate: 0.4 });
  expect(p.tooEarly).toBe(true);
  // 20 invitations at 40 % give 8 answers: under the minimum, whatever the days bring.
  expect(p.atRisk.map((u) => u.code)).toEqual(['HQ', 'XCL']);
  expect(p.blocks[0]!.units.map((u) => [u.code, u.status, u.projected])).toEqual([['STC', 'onTrack', 16], ['SXD', 'onTrack', 16]]);
});

test('at the close the outlook is the count itself', () => {
  const p = fieldworkProgress(units, blocks, rates, 10, 'rate', { elapsed: 1, curve: DEFAULT_CURVE, plannedRate: 0.4 });
  const all = p.blocks.flatMap((b) => b.units);
  expect(all.map((u) => [u.code, u.projected, u.low, u.high, u.riskPercent])).toEqual([
    ['STC', 6, 6, 6, 100],
    ['SXD', 20, 20, 20, 0],
    ['HQ', 0, 0, 0, 100],
    ['XCL', 3, 3, 3, 100],
  ]);
  expect(p.atRisk.map((u) => u.code).sort()).toEqual(['HQ', 'STC', 'XCL']);
});

test('sorting by name follows Vietnamese order; a block without units is left out', () => {
  const p = fieldworkProgress(units.slice(0, 2), blocks, [], 10, 'name', { elapsed: 0.5, curve: DEFAULT_CURVE, plannedRate: 0.4 });
  expect(p.blocks).toHaveLength(1);
  expect(p.blocks[0]!.units.map((u) => u.name)).toEqual(['Sở Tài chính', 'Sở Xây dựng']);
});

test('a past campaign’s curve from its answers per day', () => {
  const curve = curveFromDays([{ day: '2025-10-01', answers: 6 }, { day: '2025-10-02', answers: 2 }, { day: '2025-10-04', answers: 2 }], '2025-10-01', '2025-10-04')!;
  expect(curve.at(0)).toBe(0);
  expect(curve.at(0.25)).toBeCloseTo(0.6, 12); // the end of the first of four days
  expect(curve.at(0.5)).toBeCloseTo(0.8, 12);
  expect(curve.at(0.75)).toBeCloseTo(0.8, 12);
  expect(curve.at(1)).toBe(1);
  expect(curveFromDays([], '2025-10-01', '2025-10-04')).toBeNull();
});

/**
 * Calibration, where the truth is known: units whose final rates vary around the campaign's, answers arriving
 * along the curve; a quarter into fieldwork the stated chance of ending under the minimum must match how often
 * it happens, and a unit flagged must more often than not end under it.
 */
test('the chance of ending under the minimum is calibrated a quarter into fieldwork', () => {
  const random = seededRandom(20251);
  const minimum = 10;
  const elapsed = 0.25;
  const F = DEFAULT_CURVE.at(elapsed);
  const units = Array.from({ length: 1500 }, () => {
    const invited = 12 + Math.floor(random() * 30);
    const theta = Math.min(0.95, Math.max(0.05, 0.55 + (random() + random() + random() - 1.5) * 0.35));
    let final = 0;
    let early = 0;
    for (let i = 0; i < invited; i++) {
      if (random() < theta) {
        final++;
        if (random() < F) early++;
      }
    }
    return { invited, early, final };
  });
  // Campaigns of 60 units each: the campaign rate so far is that of its own units.
  let stated = 0;
  let happened = 0;
  let flagged = 0;
  let flaggedBelow = 0;
  for (let c = 0; c < units.length; c += 60) {
    const campaign = units.slice(c, c + 60);
    const rate = projectedCampaignRate({ answered: campaign.reduce((s, u) => s + u.early, 0), invited: campaign.reduce((s, u) => s + u.invited, 0) }, elapsed, DEFAULT_CURVE, 0.4);
    for (const u of campaign) {
      const { pBelow } = unitOutlook({ invited: u.invited, answered: u.early }, elapsed, rate, DEFAULT_CURVE, minimum);
      stated += pBelow;
      happened += u.final < minimum ? 1 : 0;
      if (pBelow >= 0.5) {
        flagged++;
        flaggedBelow += u.final < minimum ? 1 : 0;
      }
    }
  }
  expect(Math.abs(stated - happened) / units.length).toBeLessThan(0.03);
  expect(flaggedBelow / flagged).toBeGreaterThan(0.5);
  expect(flagged).toBeGreaterThan(0);
});
