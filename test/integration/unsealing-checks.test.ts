import { eq } from 'drizzle-orm';
import { nanoid } from 'nanoid';
import { transition } from '../../server/workflow/index.js';
import { bulletins, campaigns, responses, sealedResults } from '../../server/db/schema.js';
import { createLogger } from '../../server/logger.js';
import { startUnsealing } from '../../server/publication/index.js';
import { latestRun } from '../../server/publication/service.js';
import { shippedCatalog } from '../../server/questionnaires/index.js';
import { approvalKey, approveUnsealing, UnsealingRegistry } from '../../server/sealing/index.js';
import { Browser, startTestApp, TEST_PASSPHRASE, type TestApp } from '../support/app.js';
import { campaignInFieldwork, type FieldworkCampaign } from '../support/fieldwork.js';
import { TEST_HMAC_SECRET } from '../support/sampling.js';
import { answerUnit, startSurvey } from '../support/survey.js';

/**
 * Unsealing scores exactly the envelopes the bulletin published: one taken away, one stored twice, or a
 * receipt no envelope answers stops the run before anything is scored or sealed; the envelopes as
 * published unseal.
 */
let t: TestApp;
let fw: FieldworkCampaign;
let registry: UnsealingRegistry;

beforeAll(async () => {
  t = await startTestApp();
  fw = await campaignInFieldwork(t.db, 'Hà Giang', ['SXD', 'HDB'], { perUnit: 6, design: { minPerUnit: 6, maxPerUnit: 6 } });
  for (const invitation of fw.invitations.slice(0, 8)) {
    const browser = new Browser(t.app);
    await startSurvey(browser, invitation.code);
    expect((await answerUnit(browser, invitation.units[0]!)).res.status).toBe(303);
  }
  expect(await transition(t.db, fw.admin, fw.campaignId, 'closed', { mixKey: t.mixKey })).toMatchObject({ ok: true });
  registry = new UnsealingRegistry(t.db, approvalKey(TEST_HMAC_SECRET), 60_000);
}, 120_000);
afterAll(() => t.close());

/** Two members approve, one starts the run; the run as it ended. */
async function unseal() {
  for (const member of fw.members.slice(1, 3)) expect(await approveUnsealing(t.db, registry, fw.campaignId, member, TEST_PASSPHRASE)).toMatchObject({ ok: true });
  const run = await startUnsealing({ db: t.db, catalog: shippedCatalog(), registry, logger: createLogger('silent') }, fw.members[1]!, fw.campaignId);
  if (!run.ok) throw new Error(run.error.key);
  await run.value.done;
  const [campaign] = await t.db.select({ state: campaigns.state }).from(campaigns).where(eq(campaigns.id, fw.campaignId));
  const sealed = await t.db.select({ id: sealedResults.campaignId }).from(sealedResults).where(eq(sealedResults.campaignId, fw.campaignId));
  return { run: await latestRun(t.db, fw.campaignId), state: campaign!.state, sealed: sealed.length };
}

test('an envelope missing or stored twice, or a receipt without its envelope, stops unsealing before anything is scored; the published envelopes unseal', async () => {
  const stored = await t.db.select().from(responses).where(eq(responses.campaignId, fw.campaignId));
  expect(stored).toHaveLength(8);
  const [taken] = stored;
  const stopped = { run: { status: 'failed', failure: 'results.bulletinMismatch' }, state: 'closed', sealed: 0 };

  await t.db.delete(responses).where(eq(responses.id, taken!.id));
  expect(await unseal()).toMatchObject(stopped);

  // Back, and a copy of another under an id of its own: eight receipts, nine envelopes.
  await t.db.insert(responses).values([taken!, { ...stored[1]!, id: nanoid() }]);
  expect(await unseal()).toMatchObject(stopped);
  await t.db.delete(responses).where(eq(responses.campaignId, fw.campaignId));
  await t.db.insert(responses).values(stored);

  // The envelopes as stored, the counts per unit unchanged, one receipt more in the bulletin.
  const [bulletin] = await t.db.select().from(bulletins).where(eq(bulletins.campaignId, fw.campaignId));
  const receipts = bulletin!.content.receipts;
  await t.db.update(bulletins).set({ content: { ...bulletin!.content, receipts: [...receipts, 'ab'.repeat(32)].sort() } }).where(eq(bulletins.campaignId, fw.campaignId));
  expect(await unseal()).toMatchObject(stopped);
  await t.db.update(bulletins).set({ content: bulletin!.content }).where(eq(bulletins.campaignId, fw.campaignId));

  expect(await unseal()).toMatchObject({ run: { status: 'done', done: 8, total: 8 }, state: 'unsealed', sealed: 1 });
}, 120_000);
