import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../server/cli/index.js';
import { answersFromForm } from '../../server/responses/answers.js';
import { randomAnswers, seededRandom, type AnswerSchema } from '../../server/responses/simulate.js';
import { answerSchema, loadCatalog } from '../../server/questionnaires/index.js';
import { buildMicrodata, scoreMicrodata, type Microdata } from '../../server/scoring/index.js';

const catalog = loadCatalog();
const dir = mkdtempSync(path.join(tmpdir(), 'ddci-score-'));

/**
 * Microdata for three departments and two districts, answered at random from the real questionnaires,
 * each unit stratified by size band (small 80, medium 40 in the frame).
 */
function microdata(): Microdata {
  const random = seededRandom(11);
  const units = [
    ...['SXD', 'STC', 'SCT'].map((code) => ({ code, block: 'provincial', nameVi: `Sở ${code}`, nameEn: code })),
    ...['XCL', 'XLB'].map((code) => ({ code, block: 'commune', nameVi: `Xã ${code}`, nameEn: code })),
  ];
  const responses = units.flatMap((u) => {
    const key = catalog.methodology.blocks.find((b) => b.code === u.block)!.questionnaire;
    const questionnaire = catalog.questionnaires.get(key)!;
    const schema = answerSchema(questionnaire) as unknown as AnswerSchema;
    return Array.from({ length: u.code === 'SCT' ? 6 : 14 }, (_, i) => ({
      unit: u.code,
      stratum: i % 2 ? 'medium' : 'small',
      questionnaire: key,
      mode: 'online',
      answers: answersFromForm(questionnaire, randomAnswers(schema, random)),
    }));
  });
  return buildMicrodata({
    campaign: { id: 'c1', province: 'Lạng Sơn', year: 2026, title: 'DDCI' },
    methodology: catalog.methodology.version,
    seed: 'bulletin-hash-of-the-campaign',
    units,
    strata: units.flatMap((u) => [
      { unit: u.code, stratum: 'small', population: 80 },
      { unit: u.code, stratum: 'medium', population: 40 },
    ]),
    responses,
    minStratumRespondents: 5,
    minAnswersPerUnit: catalog.methodology.minAnswersPerUnit,
    bandOrder: ['micro', 'small', 'medium', 'large'],
  });
}

async function cli(argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { env: {}, out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

test('ddci score recomputes the ranking from microdata, whatever the order of its responses', async () => {
  const data = microdata();
  const file = path.join(dir, 'microdata.json');
  // Published with responses in another order: the figures must not depend on it.
  writeFileSync(file, JSON.stringify({ ...data, responses: [...data.responses].reverse() }));
  const json = path.join(dir, 'results.json');
  const result = await cli(['score', '--microdata', file, '--json', json]);
  expect(result.err).toBe('');
  expect(result.code).toBe(0);
  expect(result.out).toContain('Sở, ban, ngành tỉnh / Provincial departments and agencies');
  expect(result.out).toContain('UBND xã, phường / Commune and ward People’s Committees');
  expect(result.out).toMatch(/below-minimum .* SCT Sở SCT/); // 6 answers, under the minimum of 10

  const expected = scoreMicrodata(data, catalog.methodology);
  expect(JSON.parse(readFileSync(json, 'utf8'))).toEqual(JSON.parse(JSON.stringify(expected)));
  const ranked = expected.units.filter((u) => u.block === 'provincial' && u.rank !== null);
  expect(ranked).toHaveLength(2);
  expect(ranked.map((u) => u.rank).sort()).toEqual([1, 2]);
}, 60_000);

test('a bad methodology file is named with the path of the problem', async () => {
  const bad = path.join(dir, 'methodology-bad.json');
  const methodology = JSON.parse(JSON.stringify(catalog.methodology)) as Record<string, unknown>;
  delete methodology.blocks;
  writeFileSync(bad, JSON.stringify(methodology));
  const file = path.join(dir, 'microdata2.json');
  writeFileSync(file, JSON.stringify(microdata()));
  const result = await cli(['score', '--microdata', file, '--methodology', bad]);
  expect(result.code).toBe(1);
  expect(result.err).toContain('methodology-bad.json');
  expect(result.err).toContain('blocks');
});

test('bootstrap replicates shared among worker threads give the same figures as one thread', async () => {
  const { scoreMicrodataInParallel } = await import('../../server/scoring/index.js');
  const data = microdata();
  const serial = scoreMicrodata(data, catalog.methodology);
  expect(await scoreMicrodataInParallel(data, catalog.methodology, undefined, 3)).toEqual(serial);
}, 60_000);
