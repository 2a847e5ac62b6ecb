/**
 * `npm run bench:reports`: the report model for 60 units (40 provincial, 20 communes) scored from simulated
 * answers to the shipped questionnaires — the province overview and one scorecard per unit — timed over
 * repeated runs. Targets (issue 11): overview < 300 ms, a scorecard < 50 ms.
 */
import { answersFromForm } from '../../server/responses/answers.js';
import { randomAnswers, seededRandom, type AnswerSchema } from '../../server/responses/simulate.js';
import { answerSchema, shippedCatalog } from '../../server/questionnaires/index.js';
import { overview, scorecard } from '../../server/reports/model.js';
import { buildMicrodata, scoreMicrodata } from '../../server/scoring/index.js';

const catalog = shippedCatalog();
const methodology = { ...catalog.methodology, bootstrap: { ...catalog.methodology.bootstrap, replicates: 200 } };
const random = seededRandom(60);
const units = Array.from({ length: 60 }, (_, i) => ({ code: `U${String(i).padStart(2, '0')}`, block: i < 40 ? 'provincial' : 'commune', nameVi: `Đơn vị ${i}`, nameEn: `Unit ${i}` }));
const responses = units.flatMap((u) => {
  const key = methodology.blocks.find((b) => b.code === u.block)!.questionnaire;
  const form = catalog.questionnaires.get(key)!;
  const schema = answerSchema(form) as unknown as AnswerSchema;
  return Array.from({ length: 30 }, () => ({ unit: u.code, stratum: 'all', questionnaire: key, mode: 'online', answers: answersFromForm(form, randomAnswers(schema, random)) }));
});
const microdata = buildMicrodata({ campaign: { id: 'bench', province: 'p', year: 2026, title: 't' }, methodology: methodology.version, seed: 's', units, strata: units.map((u) => ({ unit: u.code, stratum: 'all', population: 300 })), responses, minStratumRespondents: 5, bandOrder: [] });
const results = { units, result: scoreMicrodata(microdata, methodology) };

const time = (runs: number, work: () => void) => {
  work();
  const start = performance.now();
  for (let i = 0; i < runs; i++) work();
  return (performance.now() - start) / runs;
};
const perOverview = time(50, () => overview(results, methodology, 'vi'));
const perScorecard = time(20, () => units.forEach((u) => scorecard(results, methodology, 'vi', u.code))) / units.length;
console.log(`report model, 60 units: overview ${perOverview.toFixed(2)} ms (target < 300 ms), a scorecard ${perScorecard.toFixed(2)} ms (target < 50 ms)`);
