import { fieldworkProgress } from '../../server/invitations/monitoring.js';

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

test('totals, blocks in the methodology’s order, and each unit’s outlook against the minimum at the campaign’s rate so far', () => {
  const rates = [
    { unitCode: 'SXD', invited: 40, answered: 20 }, // reached
    { unitCode: 'STC', invited: 40, answered: 6 }, // round(40 × 0.29) = 12 ≥ 10: on track
    { unitCode: 'XCL', invited: 20, answered: 3 }, // round(20 × 0.29) = 6 < 10: at risk
    { unitCode: 'HQ', invited: 0, answered: 0 }, // no invitation: at risk
  ];
  const p = fieldworkProgress(units, blocks, rates, 10);
  expect(p.totals).toEqual({ invited: 100, answered: 29, rate: 0.29 });
  expect(p.blocks.map((b) => b.code)).toEqual(['provincial', 'central', 'commune']);
  const provincial = p.blocks[0]!;
  expect(provincial.totals).toEqual({ invited: 80, answered: 26, rate: 26 / 80 });
  expect(provincial.units.map((u) => [u.code, u.status])).toEqual([
    ['STC', 'onTrack'], // weakest first
    ['SXD', 'reached'],
  ]);
  expect(provincial.units[0]!.projected).toBe(12);
  expect(p.atRisk.map((u) => u.code)).toEqual(['HQ', 'XCL']);
  expect(p.atRisk.find((u) => u.code === 'XCL')!.projected).toBe(6);
});

test('sorting by name follows Vietnamese order; a block without units is left out', () => {
  const p = fieldworkProgress(units.slice(0, 2), blocks, [], 10, 'name');
  expect(p.blocks).toHaveLength(1);
  expect(p.blocks[0]!.units.map((u) => u.name)).toEqual(['Sở Tài chính', 'Sở Xây dựng']);
});
