import { gunzipSync } from 'node:zlib';
import { packResults, unpackResults, type OpenedResults } from '../../server/publication/results.js';
import { canonicalJson, seededRandom, sortResponses, type MicrodataResponse } from '../../server/scoring/index.js';

/** What unsealing seals for the committee, and the order microdata are published in. */
const random = seededRandom(3);
const response = (i: number): MicrodataResponse => ({
  unit: `U${i % 7}`,
  stratum: ['micro', 'small'][i % 2]!,
  weight: 1.5,
  fpc: 300,
  questionnaire: 'dn-2026.1',
  mode: i % 3 ? 'online' : 'phone',
  answers: { A1: Math.floor(random() * 5) + 1, B2: random() < 0.5 ? 'yes' : 'no', note: i % 5 ? null : 'Sở “Kế hoạch”\n\u2028' },
});

function opened(n: number, freeText?: OpenedResults['freeText']): OpenedResults {
  return {
    results: { format: 'DDCI-RESULTS/2', campaign: { id: 'c', province: 'Bắc Giang', year: 2026, title: 'DDCI' }, methodology: 'm', bulletinHash: 'h', seed: 's', responses: n, invalid: 0, units: [], disclosure: { minStratumRespondents: 5, collapsed: [] }, result: {} as OpenedResults['results']['result'] },
    microdata: { format: 'DDCI-MICRODATA/3', campaign: { id: 'c', province: 'Bắc Giang', year: 2026, title: 'DDCI' }, methodology: 'm', seed: 's', units: [], strata: [], disclosure: { minStratumRespondents: 5, collapsed: [] }, responses: Array.from({ length: n }, (_, i) => response(i)) },
    ...(freeText ? { freeText } : {}),
  };
}

test.each([
  ['no responses, no free text', 0, undefined],
  ['2,500 responses (three pieces) and free text', 2500, [{ unit: 'U1', question: 'Q9', texts: ['Tốt', 'Chậm "quá"'] }]],
])('packed in pieces, the document reads back whole and unchanged: %s', async (_, n, freeText) => {
  const document = opened(n, freeText);
  const packed = await packResults(document);
  const text = gunzipSync(packed).toString('utf8');
  expect(text).toHaveLength(JSON.stringify(document).length); // the same JSON, the top-level keys in another order
  expect(canonicalJson(unpackResults(packed))).toBe(canonicalJson(document));
});

test('a microdata whose responses come first (as jsonb gives its keys back) packs as well', async () => {
  const { microdata, ...rest } = opened(1200);
  const { responses, ...header } = microdata;
  const document = { ...rest, microdata: { responses, ...header } };
  expect(canonicalJson(unpackResults(await packResults(document)))).toBe(canonicalJson(document));
});

test('responses come out in the published order, whatever order they came in; ordered ones as they are', () => {
  const shuffled = Array.from({ length: 200 }, (_, i) => response(i));
  const sorted = sortResponses(shuffled);
  expect(sorted).not.toBe(shuffled);
  const key = (r: MicrodataResponse) => `${r.unit}\u0000${r.stratum}\u0000${canonicalJson(r.answers)}\u0000${r.mode}\u0000${r.questionnaire}`;
  for (let i = 1; i < sorted.length; i++) expect(key(sorted[i - 1]!) <= key(sorted[i]!)).toBe(true);
  expect(sortResponses(sorted)).toBe(sorted);
  expect(sortResponses([...sorted].reverse())).toEqual(sorted);
});
