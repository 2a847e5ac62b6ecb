/**
 * Unseal + validate + score (issues 6, 20): 100,000 sealed responses over 60 units, 1,000 bootstrap
 * replicates, target ≤ 60 s on 2 cores with peak memory ≤ 1.5 GB; at 1,000,000, ≤ 3 min and ≤ 1 GiB. The
 * run's own process is measured (unseal-run.ts). The real path, on a real database: a closed campaign
 * with its bulletin and 2 of 3 approvals held, then the unsealing run the committee starts — read every
 * envelope, open it, check it against the bulletin, validate it with the pinned questionnaire, build the
 * microdata, score (bootstrap in worker threads), seal the results for the committee, move to unsealed.
 * The responses are sealed and stored directly first (not timed). Embedded PGlite by default;
 * BENCH_DATABASE_URL for a server. Run: npm run bench:unseal [-- N]
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { nanoid } from 'nanoid';
import { transition } from '../../server/workflow/index.js';
import { eq } from 'drizzle-orm';
import { bulletins, responses, samplingPlans } from '../../server/db/schema.js';
import { buildBulletin } from '../../server/responses/bulletin.js';
import { answerPayload } from '../../server/responses/payload.js';
import { answerSchema, shippedCatalog } from '../../server/questionnaires/index.js';
import { answersFromForm } from '../../server/responses/answers.js';
import { randomAnswers, type AnswerSchema } from '../../server/responses/simulate.js';
import { seededRandom } from '../../server/scoring/index.js';
import { approvalKey, approveUnsealing, receiptOf, sealedResponseContext, UnsealingRegistry } from '../../server/sealing/index.js';
import { responseSealer } from '../../server/sealing/service.js';
import { fromRoot } from '../../server/paths.js';
import { TEST_PASSPHRASE } from '../support/app.js';
import { benchDatabase } from '../support/database.js';
import { blockOf, campaignInFieldwork } from '../support/fieldwork.js';

const N = Number(process.argv[2] ?? 100_000);
const work = mkdtempSync(path.join(tmpdir(), 'ddci-bench-'));
const database = await benchDatabase(path.join(work, 'db'));
const { db } = database;
const catalog = shippedCatalog();

// 40 departments and 20 districts (codes starting with H), a 2-of-3 committee, the key ceremony run.
const units = Array.from({ length: 60 }, (_, i) => (i < 40 ? `S${String(i).padStart(2, '0')}` : `H${String(i - 40).padStart(2, '0')}`));
const fw = await campaignInFieldwork(db, `Bench ${nanoid(6)}`, units, { perUnit: 2 });
// A provincial-scale frame per unit, by size band (the design records these frame counts); answers are
// spread over the bands 5 : 3 : 1 : 1, so each band's respondents stay within its frame count up to 1M responses.
const BAND_FRAME = { micro: 300_000, small: 180_000, medium: 60_000, large: 60_000 };
const bandOf = (i: number) => (['micro', 'micro', 'micro', 'micro', 'micro', 'small', 'small', 'small', 'medium', 'large'] as const)[i % 10]!;
const frameSize = Object.values(BAND_FRAME).reduce((a, b) => a + b, 0);
const design = { params: {}, plans: units.map((unitCode) => ({ unitCode, frameSize, strata: Object.entries(BAND_FRAME).map(([sizeBand, size]) => ({ sizeBand, size, sample: 0, reserve: 0 })) })) };
await db.update(samplingPlans).set({ design }).where(eq(samplingPlans.campaignId, fw.campaignId));
process.stdout.write(`sealing and storing ${N.toLocaleString('en')} responses (not timed)…\n`);
const seal = await responseSealer(db, fw.campaignId);
const random = seededRandom(1);
const forms = Object.fromEntries(
  catalog.methodology.blocks.map((block) => {
    const questionnaire = catalog.questionnaires.get(block.questionnaire)!;
    return [block.code, { id: block.questionnaire, questionnaire, schema: answerSchema(questionnaire) as unknown as AnswerSchema }];
  }),
);
const counts: Record<string, number> = {};
for (let from = 0; from < N; from += 2000) {
  const batch = Array.from({ length: Math.min(2000, N - from) }, (_, i) => {
    const unit = units[(from + i) % units.length]!;
    const form = forms[blockOf(unit)]!;
    const answers = answersFromForm(form.questionnaire, randomAnswers(form.schema, random));
    counts[unit] = (counts[unit] ?? 0) + 1;
    const sheet = { unit, questionnaire: form.id, mode: 'online', stratum: bandOf(Math.floor((from + i) / units.length)), answers };
    // Stored as the mixer stores them: the unit, questionnaire and mode inside the envelope only.
    return { id: nanoid(), campaignId: fw.campaignId, envelope: seal(answerPayload(sheet), sealedResponseContext(fw.campaignId)) };
  });
  await db.insert(responses).values(batch);
}
const closed = await transition(db, fw.admin, fw.campaignId, 'closed', { mixKey: randomBytes(32) });
if (!closed.ok) throw new Error(`close refused: ${closed.error.key}`);
// These envelopes bypassed the invitations, whose flags give the bulletin its counts: publish the counts they make.
const bulletin = buildBulletin(fw.campaignId, counts, (await db.select({ envelope: responses.envelope }).from(responses)).map((r) => receiptOf(r.envelope)), {});
await db.update(bulletins).set({ content: bulletin.content, hash: bulletin.hash, responses: N }).where(eq(bulletins.campaignId, fw.campaignId));
const approvalSecret = randomBytes(32).toString('hex');
const registry = new UnsealingRegistry(db, approvalKey(approvalSecret), 3_600_000);
for (const member of fw.members.slice(1)) {
  const approved = await approveUnsealing(db, registry, fw.campaignId, member, TEST_PASSPHRASE);
  if (!approved.ok) throw new Error(`approval refused: ${approved.error.key}`);
}

// The run in a process of its own (unseal-run.ts): its peak memory is the run's, not this setup's. An
// embedded database is closed here first, as it has one owner at a time.
if (database.kind === 'pglite') await database.close();
const child = spawnSync(process.execPath, ['--import', 'tsx', fromRoot('test', 'bench', 'unseal-run.ts')], {
  env: { ...process.env, ...database.env, BENCH_APPROVAL_SECRET: approvalSecret, BENCH_CAMPAIGN: fw.campaignId, BENCH_MEMBER: JSON.stringify(fw.members[1]) },
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
});
if (child.status !== 0) throw new Error(`the unsealing process exited with ${child.status}`);
const { seconds, peakMiB, status, failure } = JSON.parse(child.stdout.trim().split('\n').pop()!) as { seconds: number; peakMiB: number; status: string; failure: string | null };
if (status !== 'done') throw new Error(`the run ended ${status}: ${failure}`);

console.log(`\nUnseal + validate + score: ${N.toLocaleString('en')} responses, ${units.length} units, ${catalog.methodology.bootstrap.replicates} bootstrap replicates, ${database.kind}`);
console.log(`Machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, Node ${process.version}\n`);
console.log(`total ${seconds.toFixed(1)} s, peak RSS of the unsealing process ${Math.round(peakMiB)} MiB (targets: ≤ 60 s and ≤ 1,536 MiB at 100,000; ≤ 3 min and ≤ 1 GiB at 1M)`);
if (database.kind !== 'pglite') await database.close();
rmSync(work, { recursive: true, force: true });
