import { eq, sql } from 'drizzle-orm';
import { transition } from '../../server/workflow/index.js';
import { samplingPlans, scoringRuns, sealedResults } from '../../server/db/schema.js';
import { readSealedResults } from '../../server/publication/service.js';
import { Browser, startTestApp, TEST_PASSPHRASE, TEST_PASSWORD, type TestApp } from '../support/app.js';
import { createLogger } from '../../server/logger.js';
import { answerSchema, blockQuestionnaire, shippedCatalog } from '../../server/questionnaires/index.js';
import { newNonce, responseService } from '../../server/responses/service.js';
import { randomAnswers, seededRandom, type AnswerSchema } from '../../server/responses/simulate.js';
import { codeKeys } from '../../server/sampling/access-codes.js';
import { submissionKey } from '../../server/sealing/index.js';
import { blockOf, campaignInFieldwork, type FieldworkCampaign } from '../support/fieldwork.js';
import { untilSettled } from '../support/pages.js';
import { answerUnit, startSurvey } from '../support/survey.js';

/**
 * Size-band strata from the draw to the scores: a Neyman design by size band, answered over HTTP; the
 * band travels inside each envelope, and unsealing weights each band by its frame count. A band whose
 * frame count is missing stops the run with the unit and stratum named. Half the answers are taken by an
 * instance that never read the business's units (it looks the band up itself), half by the one that did.
 */
let t: TestApp;
let fw: FieldworkCampaign;

async function member(index: number) {
  const browser = new Browser(t.app);
  if ((await browser.login(fw.members[index]!.username, TEST_PASSWORD)).status !== 303) throw new Error('member login');
  return browser;
}

/** Two approvals, the run, and the unseal page once the run has ended. */
async function unseal(): Promise<string> {
  const [first, second] = [await member(1), await member(2)];
  await first.post(`/campaigns/${fw.campaignId}/unseal`, { passphrase: TEST_PASSPHRASE });
  await second.post(`/campaigns/${fw.campaignId}/unseal`, { passphrase: TEST_PASSPHRASE });
  await second.post(`/campaigns/${fw.campaignId}/unseal/run`);
  return (await untilSettled(second, `/campaigns/${fw.campaignId}/unseal`)).text;
}

type Design = { plans: { unitCode: string; strata: { sizeBand: string; size: number }[] }[] };
const designOf = async () => (await t.db.select({ design: samplingPlans.design }).from(samplingPlans).where(eq(samplingPlans.campaignId, fw.campaignId)))[0]!.design as unknown as Design;
const storeDesign = (design: Design) => t.db.update(samplingPlans).set({ design: design as unknown as Record<string, unknown> }).where(eq(samplingPlans.campaignId, fw.campaignId));

beforeAll(async () => {
  t = await startTestApp();
  // 40 businesses per unit, 10 in each size band.
  fw = await campaignInFieldwork(t.db, 'Bắc Giang', ['SXD', 'HCL'], { perUnit: 40, design: { bySizeBand: true, allocation: 'neyman', minPerUnit: 28, maxPerUnit: 28 } });
  const catalog = shippedCatalog();
  const elsewhere = responseService({ db: t.db, catalog, codeKeys: codeKeys(t.config.hmacSecret), submissionKey: submissionKey(t.config.hmacSecret), mixKey: t.mixKey, logger: createLogger('error') });
  const random = seededRandom(7);
  for (const [i, invitation] of fw.invitations.entries()) {
    const browser = new Browser(t.app);
    await startSurvey(browser, invitation.code);
    for (const unit of invitation.units) {
      if (i % 2 === 0) {
        if ((await answerUnit(browser, unit)).res.status !== 303) throw new Error('answer');
        continue;
      }
      const schema = answerSchema(blockQuestionnaire(catalog, catalog.methodology.version, blockOf(unit))) as unknown as AnswerSchema;
      const stored = await elsewhere.submit({ campaignId: fw.campaignId, invitationId: invitation.id, unitCode: unit, nonce: newNonce(), mode: 'online', body: randomAnswers(schema, random) });
      if (!stored.ok) throw new Error('answer elsewhere');
    }
  }
  if (!(await transition(t.db, fw.admin, fw.campaignId, 'closed', { mixKey: t.mixKey })).ok) throw new Error('close');
}, 180_000);
afterAll(() => t.close());

test('a band without a frame count stops unsealing with the unit and stratum named; nothing is sealed', async () => {
  const design = await designOf();
  const saved = structuredClone(design);
  const sxd = design.plans.find((p) => p.unitCode === 'SXD')!;
  const band = sxd.strata.find((s) => s.size > 0)!;
  band.size = 0;
  await storeDesign(design);
  const page = await unseal();
  const [run] = await t.db.select().from(scoringRuns).where(eq(scoringRuns.campaignId, fw.campaignId));
  expect(run).toMatchObject({ status: 'failed', failure: 'results.frameCountMissing', failureParams: { unit: 'SXD', stratum: band.sizeBand } });
  expect(page).toContain(`Đơn vị SXD, tầng ${band.sizeBand}: khung mẫu không có số doanh nghiệp`);
  expect(await t.db.select().from(sealedResults)).toHaveLength(0);
  await storeDesign(saved);
}, 120_000);

test('each answer carries its band inside the envelope: the strata are the design’s bands, weighted by their frame counts', async () => {
  expect(await unseal()).toContain('Kết quả đã được tính và niêm phong cho Hội đồng.');
  const opened = await readSealedResults(t.db, fw.campaignId, fw.members[1]!, TEST_PASSPHRASE);
  if (!opened.ok) throw new Error(opened.error.key);
  const { microdata } = opened.value;
  const design = await designOf();
  for (const plan of design.plans) {
    const own = microdata.responses.filter((r) => r.unit === plan.unitCode);
    expect(own).toHaveLength(28);
    // 7 of the 10 businesses of every band answered: four strata of their own, each weighted N_h / n_h.
    expect(new Set(own.map((r) => r.stratum))).toEqual(new Set(plan.strata.map((s) => s.sizeBand)));
    for (const s of plan.strata) {
      const members = own.filter((r) => r.stratum === s.sizeBand);
      for (const r of members) expect([r.weight, r.fpc]).toEqual([s.size / members.length, s.size]);
    }
    expect(own.reduce((a, r) => a + r.weight, 0)).toBeCloseTo(plan.strata.reduce((a, s) => a + s.size, 0), 9);
    for (const r of own) expect(plan.strata.map((s) => s.sizeBand)).toEqual(expect.arrayContaining(r.stratum.split('+')));
  }
  // The band is never stored in clear: no column of the responses table names one.
  const columns = await t.db.execute(sql`select column_name from information_schema.columns where table_name = 'responses'`);
  expect((columns as unknown as { rows: { column_name: string }[] }).rows.map((r) => r.column_name).sort()).toEqual(['campaign_id', 'envelope', 'id', 'mode', 'questionnaire', 'unit_code']);
}, 120_000);
