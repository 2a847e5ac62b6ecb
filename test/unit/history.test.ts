import { historyChart, unitHistory, type SeriesYear } from '../../server/reports/history.js';

/** A unit's series in its profile (issue 23): followed back through renames, stopped by a merge or a year without a figure. */
const year = (y: number, units: Record<string, [number | null, string?]>, previous: Record<string, string[]> = {}): SeriesYear => ({
  year: y,
  units: new Map(Object.entries(units).map(([code, [composite, flag]]) => [code, { composite, ci: composite === null ? null : [composite - 2, composite + 2], rank: 1, flag: flag ?? null }])),
  previous: new Map(Object.entries(previous)),
});

const series = [
  year(2026, { HQ: [61], STC: [55], SXD: [58] }, { HQ: ['HQLS'], STC: ['SKHDT', 'STC'] }),
  year(2025, { HQLS: [57], SKHDT: [50], STC: [52], SXD: [54, 'below-minimum'] }),
  year(2024, { HQLS: [53], STC: [49], SXD: [51] }),
];

test('a renamed unit is followed back by its links; a merged unit and a year without a figure end the series', () => {
  expect(unitHistory(series, 'HQ').map((p) => [p.year, p.code, p.composite])).toEqual([[2024, 'HQLS', 53], [2025, 'HQLS', 57], [2026, 'HQ', 61]]);
  expect(unitHistory(series, 'STC').map((p) => p.year)).toEqual([2026]);
  expect(unitHistory(series, 'SXD').map((p) => p.year)).toEqual([2026]);
  expect(unitHistory(series, 'NEW')).toEqual([]);
});

test('the chart: one point a year left to right, a higher DDCI drawn higher, each interval around its point; none for a single year', () => {
  const chart = historyChart(unitHistory(series, 'HQ'), 'vi')!;
  expect(chart.marks.map((m) => m.year)).toEqual([2024, 2025, 2026]);
  expect(chart.marks.map((m) => m.x)).toEqual([...chart.marks.map((m) => m.x)].sort((a, b) => a - b));
  expect(chart.marks[2]!.y).toBeLessThan(chart.marks[0]!.y);
  for (const m of chart.marks) expect(m.high <= m.y && m.y <= m.low && m.high >= 0 && m.low <= chart.height).toBe(true);
  expect(chart.marks[0]).toMatchObject({ value: '53,00', interval: '51,00–55,00' });
  expect(historyChart(unitHistory(series, 'STC'), 'vi')).toBeNull();
});
