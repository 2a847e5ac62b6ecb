import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { createStaff, type Role, type StaffPrincipal } from '../auth/index.js';
import { setStaffDisabled } from '../auth/service.js';
import { findStaffByUsername } from '../auth/queries.js';
import { createCampaign, importUnits, setCommittee, setCommitteeMembers } from '../campaigns/service.js';
import { transition } from '../workflow/index.js';
import type { Db } from '../db/client.js';
import { invitations, invitationUnits } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { publish, startUnsealing } from '../publication/service.js';
import { answerSchema, blockQuestionnaire, questionsOf, shippedCatalog } from '../questionnaires/index.js';
import { randomAnswers, seededRandom, type AnswerSchema } from '../responses/simulate.js';
import { newNonce, responseService } from '../responses/service.js';
import { approvalKey, approveUnsealing, createKeysForMember, mixingKey, submissionKey, UnsealingRegistry } from '../sealing/index.js';
import { must, sampleDemoCampaign, SYSTEM } from './steps.js';

/**
 * Last year's campaign of the demo series, taken the whole way to publication so that the demo shows
 * change from last year from its first start. Its committee (three accounts, disabled at the end) hold
 * keys under random passphrases that live only in this function: nobody can log in as them or reopen
 * anything, as for a real past year whose committee has moved on.
 */
const COMMITTEE_2025: { username: string; displayName: string; role: Role }[] = [
  { username: 'chutich2025', displayName: 'Nông Văn Hải', role: 'chair' },
  { username: 'thanhvien2025a', displayName: 'Hà Thị Mai', role: 'member' },
  { username: 'thanhvien2025b', displayName: 'Lý Văn Tâm', role: 'member' },
];

export interface LastYearOptions {
  dataDir: string;
  hmacSecret: string;
  logger: Logger;
  province: string;
  year: number;
  title: string;
  /** The units CSV (`code,block,name_vi,name_en`). */
  unitsCsv: string;
  unitCodes: string[];
}

/** Seeds and publishes last year's campaign; returns its id. */
export async function seedPublishedYear(db: Db, o: LastYearOptions): Promise<string> {
  const catalog = shippedCatalog();
  const passphrases = new Map<string, string>();
  const members: StaffPrincipal[] = [];
  for (const account of COMMITTEE_2025) {
    if (!(await createStaff(db, 'system', account)).ok) throw new Error(`demo seed: account ${account.username} exists`);
    const staff = (await findStaffByUsername(db, account.username))!;
    const principal: StaffPrincipal = { id: staff.id, username: staff.username, displayName: staff.displayName, role: account.role, mustChangePassword: false, unitCodes: [] };
    const passphrase = randomBytes(24).toString('base64url');
    must('member key', await createKeysForMember(db, principal, passphrase));
    passphrases.set(principal.id, passphrase);
    members.push(principal);
  }
  const campaignId = must('campaign', await createCampaign(db, 'system', { province: o.province, year: o.year, title: o.title }));
  must('units', await importUnits(db, 'system', campaignId, o.unitsCsv));
  must('committee', await setCommittee(db, 'system', campaignId, { size: 3, threshold: 2 }));
  must('members', await setCommitteeMembers(db, 'system', campaignId, members.map((m) => m.username)));
  must('sampling', await transition(db, SYSTEM, campaignId, 'sampling'));

  const frameFile = path.join(o.dataDir, 'demo', String(o.year), `khung-mau-${o.year}.csv`);
  // Last year's campaign is history, the same on every machine: its frame, draw (its seed is public once
  // published, as every campaign's) and answers follow from the year, taken business by business.
  const { keys } = await sampleDemoCampaign(db, { ...o, campaignId, frameFile, rows: 5000, seed: o.year, drawSeed: `demo ${o.year}`, maxPerUnit: 25 });
  must('fieldwork', await transition(db, SYSTEM, campaignId, 'fieldwork'));

  // Between three and eight businesses in ten answer, unit by unit, over four weeks of October: most within days
  // of the letters, a wave after the reminder of the third week, a few at any time (the response curve the
  // outlook learns from, docs/design.md §5). Units differ in how favourably, too.
  const mixKey = mixingKey(o.hmacSecret);
  const survey = responseService({ db, catalog, codeKeys: keys, submissionKey: submissionKey(o.hmacSecret), mixKey, logger: o.logger });
  const random = seededRandom(o.year);
  const rows = await db
    .select({ id: invitations.id, unit: invitationUnits.unitCode })
    .from(invitations)
    .innerJoin(invitationUnits, eq(invitationUnits.invitationId, invitations.id))
    .where(eq(invitations.campaignId, campaignId))
    .orderBy(invitations.taxCode, invitationUnits.unitCode);
  const blocks = new Map(o.unitsCsv.split('\n').slice(1).map((line) => line.split(',').map((c) => c.replace(/^"|"$/g, '')) as [string, string]));
  const forms = new Map<string, { schema: AnswerSchema; likert: Set<string> }>();
  const propensity = (unit: string) => 0.3 + 0.5 * (((o.unitCodes.indexOf(unit) * 37) % 11) / 10);
  const answerDay = () => {
    const u = random();
    const day = u < 0.55 ? -3 * Math.log(1 - random()) : u < 0.85 ? 14 - 2 * Math.log(1 - random()) : 28 * random();
    return Math.min(27, Math.floor(day));
  };
  for (const { id, unit } of rows) {
    if (random() > propensity(unit)) continue;
    const block = blocks.get(unit)!;
    let form = forms.get(block);
    if (!form) {
      const questionnaire = blockQuestionnaire(catalog, catalog.methodology.version, block);
      form = { schema: answerSchema(questionnaire) as unknown as AnswerSchema, likert: new Set(questionsOf(questionnaire).filter((q) => q.type === 'likert5').map((q) => q.code)) };
      forms.set(block, form);
    }
    const fields = randomAnswers(form.schema, random);
    const lift = (o.unitCodes.indexOf(unit) % 7) / 10; // 0 – 0.6: how much better this unit serves
    for (const [code, value] of Object.entries(fields)) if (form.likert.has(code) && /^[1-4]$/.test(String(value)) && random() < lift) fields[code] = String(Number(value) + 1);
    const stored = await survey.submit({ campaignId, invitationId: id, unitCode: unit, nonce: newNonce(), mode: 'online', body: fields }, new Date(Date.UTC(o.year, 9, 1 + answerDay(), 3)));
    if (!stored.ok) throw new Error(`demo seed (last year): an answer to ${unit} was refused (${'refusal' in stored ? stored.refusal.key : Object.keys(stored.errors).join(', ')})`);
  }
  must('close', await transition(db, SYSTEM, campaignId, 'closed', { mixKey }));

  const registry = new UnsealingRegistry(db, approvalKey(o.hmacSecret), 10 * 60_000);
  for (const member of members.slice(0, 2)) must('approval', await approveUnsealing(db, registry, campaignId, member, passphrases.get(member.id)!));
  const run = must('unsealing', await startUnsealing({ db, catalog, registry, logger: o.logger }, members[0]!, campaignId));
  await run.done;
  must('publication', await publish(db, campaignId, members[0]!, passphrases.get(members[0]!.id)!));
  for (const member of members) await setStaffDisabled(db, SYSTEM, member.username, true);
  passphrases.clear();
  return campaignId;
}
