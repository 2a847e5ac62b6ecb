/**
 * The scoring engine alone (issue 6 measures unseal + validate + score together): 100,000 responses over
 * 60 units with the shipped methodology's 1,000 bootstrap replicates. Run: npm run bench:scoring [-- N]
 */
import { answersFromForm } from '../../server/responses/answers.js';
import { randomAnswers, type AnswerSchema } from '../../server/responses/simulate.js';
import { answerSchema, shippedCatalog } from '../../server/questionnaires/index.js';
import { replicateStreams, score, seededRandom, type ScoringInput } from '../../server/scoring/index.js';

const N = Number(process.argv[2] ?? 100_000);
const catalog = shippedCatalog();
const units = Array.from({ length: 60 }, (_, i) => ({ code: `U${String(i).padStart(2, '0')}`, block: i < 40 ? 'provincial' : 'commune' }));
const random = seededRandom(1);
const forms = Object.fromEntries(
  catalog.methodology.blocks.map((block) => {
    const questionnaire = catalog.questionnaires.get(block.questionnaire)!;
    return [block.code, { questionnaire, schema: answerSchema(questionnaire) as unknown as AnswerSchema }];
  }),
) as Record<string, { questionnaire: ReturnType<typeof catalog.questionnaires.get> & object; schema: AnswerSchema }>;
const responses = Array.from({ length: N }, (_, i) => {
  const unit = units[i % units.length]!;
  const form = forms[unit.block]!;
  return { unit: unit.code, stratum: 'all', answers: answersFromForm(form.questionnaire, randomAnswers(form.schema, random)) as Record<string, unknown> };
});
const input: ScoringInput = {
  methodology: catalog.methodology,
  units,
  strata: units.map((u) => ({ unit: u.code, stratum: 'all', population: Math.ceil((N / units.length) * 3) })),
  responses,
};
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
const started = process.hrtime.bigint();
const result = score(input, replicateStreams(2026));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(
  `${N} responses, ${units.length} units, ${result.replicates} bootstrap replicates: scored in ${seconds.toFixed(1)} s, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB\n`,
);
