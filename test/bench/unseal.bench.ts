/**
 * Unseal + validate + score (issue 6): 100,000 sealed responses over 60 units, 1,000 bootstrap replicates,
 * target ≤ 60 s on 2 cores with peak memory ≤ 1.5 GB. The envelopes are sealed first (not timed); then, as
 * the unsealing run does: open each with the campaign key, check its receipt against the bulletin, parse,
 * validate with the questionnaire's answer schema, build the microdata, score with the bootstrap shared
 * between two threads. Reading the envelopes from the database is not included.
 * Run: npm run bench:unseal [-- N]
 */
import { createHash } from 'node:crypto';
import { answersFromForm } from '../../server/responses/answers.js';
import { randomAnswers, type AnswerSchema } from '../../server/responses/simulate.js';
import { answerSchema, shippedCatalog } from '../../server/questionnaires/index.js';
import { MICRODATA_FORMAT, scoreMicrodataInParallel, seededRandom, sortResponses, type Microdata } from '../../server/scoring/index.js';
import { envelopeSealer, openEnvelope, responseContext } from '../../server/sealing/envelope.js';
import { generateX25519 } from '../../server/sealing/primitives.js';

const N = Number(process.argv[2] ?? 100_000);
const catalog = shippedCatalog();
const units = Array.from({ length: 60 }, (_, i) => ({ code: `U${String(i).padStart(2, '0')}`, kind: i < 40 ? ('department' as const) : ('district' as const), nameVi: `Đơn vị ${i}`, nameEn: `Unit ${i}` }));
const campaignKey = generateX25519();
const campaignPublic = campaignKey.publicRaw;
const seal = envelopeSealer(campaignPublic);
const random = seededRandom(1);
const schemas = { department: answerSchema(catalog.questionnaires.get('department-2026.1')!), district: answerSchema(catalog.questionnaires.get('district-2026.1')!) };
process.stdout.write(`sealing ${N} responses (not timed)…\n`);
const stored = Array.from({ length: N }, (_, i) => {
  const unit = units[i % units.length]!;
  const questionnaire = `${unit.kind}-2026.1`;
  const answers = answersFromForm(catalog.questionnaires.get(questionnaire)!, randomAnswers(schemas[unit.kind] as unknown as AnswerSchema, random));
  return { unit: unit.code, questionnaire, envelope: seal(Buffer.from(JSON.stringify(answers)), responseContext('bench', unit.code, questionnaire)) };
});
const bulletin = new Set(stored.map((s) => createHash('sha256').update(s.envelope).digest('hex')));

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
const t0 = process.hrtime.bigint();
const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;
const answered: Microdata['responses'] = [];
for (const s of stored) {
  if (!bulletin.has(createHash('sha256').update(s.envelope).digest('hex'))) throw new Error('not in the bulletin');
  const plaintext = openEnvelope(s.envelope, campaignKey.privateKey, campaignPublic, responseContext('bench', s.unit, s.questionnaire));
  const answers = JSON.parse(plaintext.toString('utf8')) as Record<string, unknown>;
  if (!catalog.answerValidator(s.questionnaire)(answers)) throw new Error('invalid');
  answered.push({ unit: s.unit, stratum: 'all', questionnaire: s.questionnaire, mode: 'online', answers });
}
const opened = seconds(t0);
const microdata: Microdata = {
  format: MICRODATA_FORMAT,
  campaign: { id: 'bench', province: 'Bench', year: 2026, title: 'Bench' },
  methodology: catalog.methodology.version,
  seed: 'bench',
  units,
  strata: units.map((u) => ({ unit: u.code, stratum: 'all', population: Math.ceil((N / units.length) * 3) })),
  responses: sortResponses(answered),
};
const t1 = process.hrtime.bigint();
const result = await scoreMicrodataInParallel(microdata, catalog.methodology, 2);
const scored = seconds(t1);
const total = seconds(t0);
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(
  `${N} responses, ${units.length} units, ${result.replicates} replicates on 2 threads: open + check + validate ${opened.toFixed(1)} s, ` +
    `score ${scored.toFixed(1)} s, total ${total.toFixed(1)} s (target ≤ 60 s), peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB (target ≤ 1,536 MiB)\n`,
);
