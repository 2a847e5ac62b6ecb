import { eq } from 'drizzle-orm';
import { addUnit, createCampaign, setCommittee, setCommitteeMembers } from '../../server/campaigns/index.js';
import { transition } from '../../server/workflow/index.js';
import type { StaffPrincipal } from '../../server/auth/index.js';
import type { Db } from '../../server/db/client.js';
import { invitations, invitationUnits } from '../../server/db/schema.js';
import { accessCodeFor, formatCode } from '../../server/sampling/access-codes.js';
import { readSealedResults } from '../../server/publication/service.js';
import { Browser, createAccount, TEST_PASSPHRASE, TEST_PASSWORD, type TestApp } from './app.js';
import { untilSettled } from './pages.js';
import { answerUnit, startSurvey } from './survey.js';
import { completeSampling, testCodeKeys } from './sampling.js';
import type { DesignParams } from '../../server/sampling/design.js';

export interface FieldworkCampaign {
  campaignId: string;
  admin: StaffPrincipal;
  /** The committee (2 of 3 unless asked otherwise), chair first, each with keys under TEST_PASSPHRASE and password TEST_PASSWORD. */
  members: StaffPrincipal[];
  /** Every invitation's access code (as printed) and the units it covers. */
  invitations: { id: string; code: string; units: string[] }[];
}

/** The block of a test unit in the current methodology: codes starting with H are communes, the rest provincial departments. */
export const blockOf = (code: string) => (code.startsWith('H') ? 'commune' : 'provincial');

/**
 * A campaign in the sampling stage: units (codes starting with H are communes, or `block`; named `Đơn vị CODE`
 * unless `names` says), a 2-of-3 committee (or `committee`) chosen, made by an administrator of its own.
 */
export async function campaignInSampling(
  db: Db,
  province: string,
  unitCodes: string[],
  options: { methodologyVersion?: string; block?: (code: string) => string; committee?: { size: number; threshold: number }; names?: Record<string, string>; title?: string } = {},
) {
  const admin = (await createAccount(db, 'admin')).principal;
  const created = await createCampaign(db, admin.username, { province, year: 2026, title: options.title ?? `DDCI ${province} 2026`, ...(options.methodologyVersion ? { methodologyVersion: options.methodologyVersion } : {}) });
  if (!created.ok) throw new Error('campaign refused');
  const campaignId = created.value;
  for (const code of unitCodes) {
    const name = options.names?.[code];
    await addUnit(db, admin.username, campaignId, { code, block: (options.block ?? blockOf)(code), nameVi: name ?? `Đơn vị ${code}`, nameEn: name ?? `Unit ${code}` });
  }
  const committee = options.committee ?? { size: 3, threshold: 2 };
  await setCommittee(db, admin.username, campaignId, committee);
  const members = [await createAccount(db, 'chair')];
  while (members.length < committee.size) members.push(await createAccount(db, 'member'));
  await setCommitteeMembers(db, admin.username, campaignId, members.map((m) => m.username));
  const moved = await transition(db, admin, campaignId, 'sampling');
  if (!moved.ok) throw new Error(`sampling refused: ${moved.error.key}`);
  return { campaignId, admin, members };
}

/**
 * A campaign in fieldwork: a campaign in sampling (above), a drawn sample with invitations, the key ceremony
 * run (unless it stops at sampling, invitations made).
 */
export async function campaignInFieldwork(
  db: Db,
  province: string,
  unitCodes: string[],
  options: { stopAt?: 'sampling'; perUnit?: number; design?: Partial<DesignParams>; methodologyVersion?: string; block?: (code: string) => string; committee?: { size: number; threshold: number } } = {},
): Promise<FieldworkCampaign> {
  const { campaignId, admin, members } = await campaignInSampling(db, province, unitCodes, options);
  await completeSampling(db, admin.username, campaignId, options.design, options.perUnit);
  if (options.stopAt !== 'sampling') {
    const moved = await transition(db, admin, campaignId, 'fieldwork');
    if (!moved.ok) throw new Error(`fieldwork refused: ${moved.error.key}`);
  }
  const rows = await db
    .select({ id: invitations.id, unit: invitationUnits.unitCode })
    .from(invitations)
    .innerJoin(invitationUnits, eq(invitationUnits.invitationId, invitations.id))
    .where(eq(invitations.campaignId, campaignId));
  const byId = new Map<string, string[]>();
  for (const row of rows) byId.set(row.id, [...(byId.get(row.id) ?? []), row.unit].sort());
  return {
    campaignId,
    admin,
    members: members.map((m) => m.principal),
    invitations: [...byId].sort(([a], [b]) => a.localeCompare(b)).map(([id, units]) => ({ id, code: formatCode(accessCodeFor(testCodeKeys, id)), units })),
  };
}

/**
 * A campaign of `version` with `units` (code → block) answered 12 times per unit over HTTP (random valid answers,
 * or `answer`'s), closed, unsealed by 2 of its 3 members and scored: the sealed results, as member 1 reads them.
 */
export async function answeredAndScored(t: TestApp, province: string, version: string, units: Record<string, string>, answer?: Parameters<typeof answerUnit>[2]) {
  const fw = await campaignInFieldwork(t.db, province, Object.keys(units), { perUnit: 14, design: { minPerUnit: 14, maxPerUnit: 14 }, methodologyVersion: version, block: (code) => units[code]! });
  const counts = new Map<string, number>();
  for (const invitation of fw.invitations) {
    const unit = invitation.units[0]!;
    if ((counts.get(unit) ?? 0) >= 12) continue;
    counts.set(unit, (counts.get(unit) ?? 0) + 1);
    const browser = new Browser(t.app);
    await startSurvey(browser, invitation.code);
    const sent = await answerUnit(browser, unit, answer);
    if (sent.res.status !== 303) throw new Error(`answer refused: ${sent.res.status}`);
  }
  if (!(await transition(t.db, fw.admin, fw.campaignId, 'closed', { mixKey: t.mixKey })).ok) throw new Error('close');
  const members = await Promise.all(
    [1, 2].map(async (i) => {
      const browser = new Browser(t.app);
      await browser.login(fw.members[i]!.username, TEST_PASSWORD);
      await browser.post(`/campaigns/${fw.campaignId}/unseal`, { passphrase: TEST_PASSPHRASE });
      return browser;
    }),
  );
  await members[1]!.post(`/campaigns/${fw.campaignId}/unseal/run`);
  await untilSettled(members[1]!, `/campaigns/${fw.campaignId}/unseal`);
  const opened = await readSealedResults(t.db, fw.campaignId, fw.members[1]!, TEST_PASSPHRASE);
  if (!opened.ok) throw new Error(opened.error.key);
  return { ...opened.value, fw };
}
