import { isDeepStrictEqual } from 'node:util';
import { buildMicrodata, microdataByUnit, ResponseTable, scoreMicrodata, seededRandom, type UnweightedResponse } from '../../server/scoring/index.js';
import { loadCatalog } from '../../server/questionnaires/index.js';

const catalog = loadCatalog();
const BANDS = ['micro', 'small', 'medium', 'large', 'unknown'];

/** Responses with every kind of answer: codes, "don't know", lists, numbers — some with a thousand distinct values. */
function responses(n: number): UnweightedResponse[] {
  const random = seededRandom(11);
  const units = ['SXD', 'SYT', 'H1', 'H10'];
  return Array.from({ length: n }, (_, i) => {
    const unit = units[Math.floor(random() * units.length)]!;
    const answers: Record<string, unknown> = { A1: String(1 + Math.floor(random() * 5)), S2: ['1', '3', '4'].filter(() => random() < 0.5) };
    if (random() < 0.8) answers.A2 = random() < 0.1 ? 'DK' : String(1 + Math.floor(random() * 5));
    if (i % 10) answers.N1 = i; // distinct answers past 16 bits of codes
    if (i > n / 2) answers.LATE = 'only in later answers'; // a question first seen half-way
    if (i % 7 === 0) answers.O1 = i % 2 ? { b: 1, a: [2] } : { a: [2], b: 1 }; // equal objects, keys in either order
    return { unit, stratum: random() < 0.7 ? 'micro' : 'small', questionnaire: unit.startsWith('H') ? 'district-2026.1' : 'department-2026.1', mode: random() < 0.5 ? 'online' : 'phone', answers };
  });
}

const input = {
  campaign: { id: 'c1', province: 'Lạng Sơn', year: 2026, title: 'DDCI' },
  methodology: catalog.methodology.version,
  seed: 's',
  units: [
    { code: 'SXD', block: 'provincial', nameVi: 'Sở Xây dựng', nameEn: 'Construction' },
    { code: 'SYT', block: 'provincial', nameVi: 'Sở Y tế', nameEn: 'Health' },
    { code: 'H1', block: 'commune', nameVi: 'Xã 1', nameEn: 'Commune 1' },
    { code: 'H10', block: 'commune', nameVi: 'Xã 10', nameEn: 'Commune 10' },
  ],
  strata: ['SXD', 'SYT', 'H1', 'H10'].flatMap((unit) => [
    { unit, stratum: 'micro', population: 900_000 },
    { unit, stratum: 'small', population: 300_000 },
  ]),
  minStratumRespondents: 5,
  minAnswersPerUnit: catalog.methodology.minAnswersPerUnit,
  bandOrder: BANDS,
};

test('responses held in columns come back unit by unit as the objects they were, in the published order', () => {
  const all = responses(150_000);
  const table = new ResponseTable();
  for (const r of all) table.add(r);
  expect(table.size).toBe(150_000);
  const whole = buildMicrodata({ ...input, responses: all });
  const byUnit = microdataByUnit(input, table);
  expect(byUnit.units).toEqual(['H1', 'H10', 'SXD', 'SYT']);
  const { responses: published, ...header } = whole;
  expect(byUnit.header).toEqual(header);
  // The same records in the same order (answers compared as values: their keys come back in code order).
  const back = byUnit.units.flatMap(byUnit.responsesOf);
  expect(back).toHaveLength(published.length);
  expect(back.filter((r, i) => !isDeepStrictEqual(r, published[i])).length).toBe(0);
  // Written as JSON straight from the columns: the records JSON.stringify writes of those objects.
  for (const unit of byUnit.units) expect(byUnit.recordsJson!(unit)).toBe(byUnit.responsesOf(unit).map((r) => JSON.stringify(r)).join(','));
  expect(published.filter((r) => r.questionnaire === 'department-2026.1' && r.answers.N1 !== undefined).length).toBeGreaterThan(0xffff);
});

test('restratified responses are counted and scored in their new strata, as the same microdata built from objects', () => {
  const all = responses(3_000);
  const table = new ResponseTable();
  for (const r of all) table.add(r);
  const whole = (unit: string) => unit === 'SYT';
  table.restratify((unit, stratum) => (whole(unit) ? 'all' : stratum));
  expect(table.counts().get('SYT\u0000all')).toBe(all.filter((r) => r.unit === 'SYT').length);
  expect(table.counts().get('SYT\u0000micro')).toBeUndefined();
  const strata = [...input.strata.filter((s) => !whole(s.unit)), { unit: 'SYT', stratum: 'all', population: 1_200_000 }];
  const relabelled = all.map((r) => (whole(r.unit) ? { ...r, stratum: 'all' } : r));
  const methodology = { ...catalog.methodology, bootstrap: { ...catalog.methodology.bootstrap, replicates: 30 } };
  const fromObjects = scoreMicrodata(buildMicrodata({ ...input, strata, responses: relabelled }), methodology);
  expect(scoreMicrodata(microdataByUnit({ ...input, strata }, table), methodology)).toEqual(fromObjects);
});
