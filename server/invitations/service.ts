import { nanoid } from 'nanoid';
import QRCode from 'qrcode';
import { recordAudit } from '../audit/index.js';
import { csvFile } from '../csv.js';
import { findCampaign, listUnits } from '../campaigns/queries.js';
import type { Db } from '../db/client.js';
import type { LetterSettings } from '../db/schema.js';
import { translate } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import { ok, refuse, type Result } from '../result.js';
import { accessCodeFor, codeHash, formatCode, type CodeKeys } from '../sampling/access-codes.js';
import { findPlan, type StoredDesign } from '../sampling/plan.js';
import { DEFAULT_DESIGN } from '../sampling/design.js';
import { sampledStratum, takeReserve } from '../sampling/queries.js';
import type { Mailer } from './mailer.js';
import { curveFromDays, dayNumber, DEFAULT_CURVE } from './outlook.js';
import { stageTimes } from '../audit/queries.js';
import { vietnamDay } from '../i18n/format.js';
import type { SmsGateway } from './sms.js';
import * as q from './queries.js';

/** Where a respondent enters (or, from a QR code, arrives with) an access code. */
export function surveyUrl(publicUrl: string, code: string): string {
  return `${publicUrl}/survey?code=${formatCode(code)}`;
}

/** One invitation per sampled business, covering every unit it was drawn for; codes are never stored. */
export async function generateInvitations(db: Db, keys: CodeKeys, actor: string, campaignId: string): Promise<Result<number>> {
  const campaign = await findCampaign(db, campaignId);
  if (!campaign) return refuse({ key: 'campaigns.notFound' });
  if (campaign.state !== 'sampling') return refuse({ key: 'sampling.onlyInSampling' });
  if (!(await findPlan(db, campaignId))?.drawnAt) return refuse({ key: 'invitations.needsDraw' });
  return db.transaction(async (tx) => {
    if ((await q.countInvitations(tx, campaignId)).invitations > 0) return refuse({ key: 'invitations.already' });
    const rows = (await q.sampledBusinesses(tx, campaignId)).map((b) => {
      const id = nanoid(16);
      return { id, taxCode: b.taxCode, units: b.units, codeHash: codeHash(keys, accessCodeFor(keys, id)) };
    });
    await q.insertInvitations(tx, campaignId, rows);
    await recordAudit(tx, {
      actor,
      action: 'invitations.generated',
      campaignId,
      details: { invitations: rows.length, unitRatings: rows.reduce((a, r) => a + r.units.length, 0) },
    });
    return ok(rows.length);
  });
}

export interface Letter {
  taxCode: string;
  name: string;
  address: string;
  units: { code: string; nameVi: string }[];
  code: string;
  url: string;
  qrSvg: string;
}

const lines = (text: string) => text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

/** What the letters print beyond the code: the campaign's settings, and the usual defaults where it has none. */
export function letterFrame(settings: LetterSettings | null) {
  return {
    deadline: settings?.deadline,
    hotline: settings?.hotline,
    signerTitle: lines(settings?.signerTitle ?? 'TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH'),
    signerName: settings?.signerName,
    recipients: lines(settings?.recipients ?? '- Như trên;\n- Lưu: VT.'),
  };
}

export async function unitNames(db: Db, campaignId: string): Promise<Map<string, string>> {
  return new Map((await listUnits(db, campaignId)).map((u) => [u.code, u.nameVi]));
}

/**
 * Printable letters, a page of invitations at a time (or one, reprinted), with the code and a QR code of the
 * survey link. Every batch shown is audited — who, which page, how many codes; never a code — since whoever holds a code can
 * answer in that business's name.
 */
export async function letters(
  db: Db,
  keys: CodeKeys,
  publicUrl: string,
  actor: string,
  campaignId: string,
  which: { page: number; perPage: number } | { invitationId: string },
  reminder?: { unit?: string },
): Promise<Letter[]> {
  const names = await unitNames(db, campaignId);
  const batch = 'page' in which;
  const rows = await q.invitationDetails(db, campaignId, { ...(batch ? { offset: which.page * which.perPage, limit: which.perPage } : { ids: [which.invitationId] }), ...(reminder ? { pending: reminder } : {}) });
  if (!rows.length) return [];
  // A reprint names its business (who asked for a second copy is worth knowing); a batch names its page.
  const via = reminder ? 'reminder-letters' : 'letters';
  await db.transaction((tx) =>
    recordAudit(tx, {
      actor,
      action: 'invitations.codes_revealed',
      campaignId,
      ...(batch ? { details: { via, page: which.page + 1, codes: rows.length, ...(reminder?.unit ? { unit: reminder.unit } : {}) } } : { subject: rows[0]!.taxCode, details: { via: reminder ? 'reminder-reprint' : 'reprint', codes: 1 } }),
    }),
  );
  return Promise.all(
    rows.map(async (r) => {
      const code = accessCodeFor(keys, r.id);
      const url = surveyUrl(publicUrl, code);
      return {
        taxCode: r.taxCode,
        name: r.name,
        address: r.address,
        // A reminder names only the units still to answer.
        units: (reminder ? r.pending : r.units).map((c) => ({ code: c, nameVi: names.get(c) ?? c })),
        code: formatCode(code),
        url,
        qrSvg: await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }),
      };
    }),
  );
}

/**
 * The mail-merge CSV: one line per invitation with its code and link, cells safe from formula injection
 * (frame data is typed by others). Audited like the letters: who, how many codes, never a code.
 */
export async function mailMergeCsv(db: Db, keys: CodeKeys, publicUrl: string, actor: string, campaignId: string): Promise<string> {
  const names = await unitNames(db, campaignId);
  const rows = await q.invitationDetails(db, campaignId);
  await db.transaction((tx) => recordAudit(tx, { actor, action: 'invitations.codes_revealed', campaignId, details: { via: 'mail-merge', codes: rows.length } }));
  return csvFile([
    ['tax_code', 'name', 'address', 'email', 'phone', 'units', 'access_code', 'url'],
    ...rows.map((r) => {
      const code = accessCodeFor(keys, r.id);
      return [r.taxCode, r.name, r.address, r.email, r.phone, r.units.map((c) => names.get(c) ?? c).join('; '), formatCode(code), surveyUrl(publicUrl, code)];
    }),
  ]);
}

export interface MailPolicy {
  publicUrl: string;
  minIntervalHours: number;
  maxPerInvitation: number;
}

export interface MailOutcome {
  sent: number;
  skipped: number;
  failed: number;
}

function mailBody(campaign: { province: string; year: number; title: string }, name: string, units: string[], code: string, url: string, reminder: boolean) {
  const intro = reminder
    ? `Kính gửi ${name},\n\nQuý doanh nghiệp chưa hoàn thành phiếu khảo sát ${campaign.title}. Xin dành ít phút trả lời trước khi đợt khảo sát kết thúc.`
    : `Kính gửi ${name},\n\nUBND tỉnh ${campaign.province} trân trọng mời Quý doanh nghiệp tham gia ${campaign.title}: đánh giá chất lượng phục vụ của các đơn vị mà doanh nghiệp đã giao dịch.`;
  const text = [
    intro,
    `\nĐơn vị được mời đánh giá:\n${units.map((u) => `  - ${u}`).join('\n')}`,
    `\nMã truy cập: ${code}\nĐường dẫn: ${url}`,
    '\nCâu trả lời được mã hóa và ẩn danh; không ai, kể cả cơ quan tổ chức khảo sát, biết doanh nghiệp nào đã trả lời gì.',
    `\n---\nYou are invited to the ${campaign.title} (DDCI ${campaign.year}). Access code: ${code} — ${url}. Answers are encrypted and anonymous.`,
  ].join('\n');
  const html = `<pre style="font-family:inherit;white-space:pre-wrap">${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>`;
  return { text, html };
}

const MAIL_BATCH = 20;

/** One way of reaching businesses in the background: who is due, what each gets, and how a send is recorded. */
interface Channel {
  mode: 'invite' | 'remind' | 'sms';
  due(r: q.InvitationDetail, now: Date): boolean;
  send(r: q.InvitationDetail, message: { code: string; url: string; units: string[] }): Promise<void>;
  channel: 'email' | 'sms';
  audited: 'invitations.emailed' | 'invitations.reminded' | 'invitations.texted';
}

const recent = (at: Date | null, now: Date, hours: number) => Boolean(at && now.getTime() - at.getTime() < hours * 3_600_000);

/**
 * Starts e-mailing, in the background, the invitation (first time) or a reminder (units still
 * unanswered) to businesses with an address, never more often than the policy allows. Progress is kept
 * in the database and each batch is marked as sent before the next, so a crash never mails a business
 * twice. Counts are audited; addresses and codes are not.
 */
export function startMailRun(db: Db, mailer: Mailer, keys: CodeKeys, logger: Logger, policy: MailPolicy, actor: string, campaignId: string, mode: 'invite' | 'remind') {
  return startRun(db, keys, logger, policy.publicUrl, actor, campaignId, async (campaign) => ({
    mode,
    due: (r, now) => Boolean(r.email) && (mode === 'invite' ? r.emailsSent === 0 : r.emailsSent > 0 && r.pending.length > 0) && !recent(r.lastEmailedAt, now, policy.minIntervalHours) && r.emailsSent < policy.maxPerInvitation,
    send: (r, m) => mailer.send({ to: r.email, subject: translate('vi', 'invitations.mailSubject', { province: campaign.province, year: campaign.year }), ...mailBody(campaign, r.name, m.units, m.code, m.url, mode === 'remind') }),
    channel: 'email',
    audited: mode === 'invite' ? 'invitations.emailed' : 'invitations.reminded',
  }));
}

/**
 * Starts text-message reminders, in the background, through the SMS gateway: one message to each business
 * with a phone number that still has units to answer (never to one that answered every unit it was invited
 * for), at most as often and as many times as e-mails. The gateway retries and logs its failures; the page
 * that started the run never waits for it.
 */
export function startSmsRun(db: Db, gateway: SmsGateway, keys: CodeKeys, logger: Logger, policy: MailPolicy, actor: string, campaignId: string) {
  return startRun(db, keys, logger, policy.publicUrl, actor, campaignId, async (campaign) => ({
    mode: 'sms',
    due: (r, now) => Boolean(r.phone) && r.pending.length > 0 && !recent(r.lastSmsAt, now, policy.minIntervalHours) && r.smsSent < policy.maxPerInvitation,
    send: (r, m) => gateway.send({ to: r.phone, text: smsText(campaign, m.units.length, m.code, m.url) }),
    channel: 'sms',
    audited: 'invitations.texted',
  }));
}

/** The reminder a business's phone gets, in Vietnamese: how many units are left, its code and the link. */
export function smsText(campaign: { province: string; year: number }, units: number, code: string, url: string): string {
  return `UBND tỉnh ${campaign.province}: Quý doanh nghiệp còn ${units} đơn vị chưa đánh giá trong khảo sát DDCI ${campaign.year}. Mã truy cập ${code}, trả lời tại ${url}. Câu trả lời ẩn danh.`;
}

async function startRun(
  db: Db,
  keys: CodeKeys,
  logger: Logger,
  publicUrl: string,
  actor: string,
  campaignId: string,
  channelOf: (campaign: NonNullable<Awaited<ReturnType<typeof findCampaign>>>) => Promise<Channel>,
): Promise<Result<{ runId: string; done: Promise<MailOutcome> }>> {
  const campaign = await findCampaign(db, campaignId);
  if (!campaign) return refuse({ key: 'campaigns.notFound' });
  if (!['sampling', 'fieldwork'].includes(campaign.state)) return refuse({ key: 'sampling.onlyInSampling' });
  const channel = await channelOf(campaign);
  const runId = nanoid(12);
  if (!(await q.insertMailRun(db, { id: runId, campaignId, mode: channel.mode, createdBy: actor }))) return refuse({ key: 'invitations.mailBusy' });
  const names = await unitNames(db, campaignId);
  const outcome: MailOutcome = { sent: 0, skipped: 0, failed: 0 };
  const run = async () => {
    const now = new Date();
    const rows = await q.invitationDetails(db, campaignId);
    await q.updateMailRun(db, runId, { total: rows.length });
    for (let i = 0; i < rows.length; i += MAIL_BATCH) {
      const sentIds: string[] = [];
      for (const r of rows.slice(i, i + MAIL_BATCH)) {
        if (!channel.due(r, now)) {
          outcome.skipped++;
          continue;
        }
        const code = accessCodeFor(keys, r.id);
        const units = (channel.mode === 'invite' ? r.units : r.pending).map((c) => names.get(c) ?? c);
        try {
          await channel.send(r, { code: formatCode(code), url: surveyUrl(publicUrl, code), units });
          sentIds.push(r.id);
          outcome.sent++;
        } catch (error) {
          outcome.failed++;
          logger.warn({ err: error, campaignId, invitationId: r.id, channel: channel.mode }, 'invitation message failed');
        }
      }
      await q.markSent(db, channel.channel, sentIds, now);
      await q.updateMailRun(db, runId, { ...outcome });
    }
  };
  const done = run()
    .catch((error: unknown) => logger.error({ err: error, campaignId, runId }, 'sending run stopped'))
    .then(async () => {
      await db.transaction(async (tx) => {
        await q.updateMailRun(tx, runId, { ...outcome, status: 'done', finishedAt: new Date() });
        await recordAudit(tx, { actor, action: channel.audited, campaignId, details: { ...outcome } });
      });
      return outcome;
    });
  return ok({ runId, done });
}

export const REPLACEMENT_REASONS = ['closed', 'unreachable', 'refused'] as const;
export type ReplacementReason = (typeof REPLACEMENT_REASONS)[number];

/**
 * The documented replacement rule: a sampled business that cannot take part, for a unit it has not
 * answered, is replaced by the next unused reserve of the same unit and size band, in draw order.
 */
export async function replaceFromReserve(
  db: Db,
  keys: CodeKeys,
  actor: string,
  campaignId: string,
  input: { taxCode: string; unitCode: string; reason: ReplacementReason },
): Promise<Result<{ taxCode: string; position: number }>> {
  const campaign = await findCampaign(db, campaignId);
  if (!campaign) return refuse({ key: 'campaigns.notFound' });
  if (!['sampling', 'fieldwork'].includes(campaign.state)) return refuse({ key: 'sampling.onlyInSampling' });
  return db.transaction(async (tx) => {
    const open = await q.openInvitationUnit(tx, campaignId, input.taxCode, input.unitCode);
    const band = open && (await sampledStratum(tx, campaignId, input.unitCode, input.taxCode));
    if (!open || !band) return refuse({ key: 'invitations.notReplaceable' });
    const reserve = await takeReserve(tx, campaignId, input.unitCode, band);
    if (!reserve) return refuse({ key: 'invitations.noReserve' });
    await q.setUnitStatus(tx, open.invitationId, input.unitCode, 'replaced');
    let target = await q.findInvitationOf(tx, campaignId, reserve.taxCode);
    if (!target) {
      const id = nanoid(16);
      await q.insertInvitations(tx, campaignId, [{ id, taxCode: reserve.taxCode, codeHash: codeHash(keys, accessCodeFor(keys, id)), units: [input.unitCode] }]);
    } else {
      await q.addInvitationUnit(tx, target.id, input.unitCode);
    }
    await recordAudit(tx, {
      actor,
      action: 'invitations.replaced',
      campaignId,
      subject: input.unitCode,
      details: { replaced: input.taxCode, by: reserve.taxCode, sizeBand: band, reservePosition: reserve.position, reason: input.reason },
    });
    return ok({ taxCode: reserve.taxCode, position: reserve.position });
  });
}

/** Fieldwork when the letters give no reply date: four weeks, as a provincial plan usually allows. */
const DEFAULT_FIELDWORK_DAYS = 28;

const addDays = (day: string, n: number) => new Date((dayNumber(day) + n) * 86_400_000).toISOString().slice(0, 10);

/**
 * Where fieldwork stands, for the outlook (outlook.ts): the share of it elapsed — from the day it opened to the
 * letters' reply date, or as long as last year's fieldwork lasted, or four weeks —, the response curve:
 * last year's, from its answers per day, when the campaign follows a published one; else the default; and
 * the response rate the sample was designed for.
 */
export async function fieldworkTiming(db: Db, campaign: { id: string; state: string; previousCampaignId: string | null; letterSettings: LetterSettings | null }, now = new Date()) {
  const stages = await stageTimes(db, campaign.id);
  const totals = async (id: string) => {
    const perDay = new Map<string, number>();
    for (const d of await q.dailyCounts(db, id)) perDay.set(d.day, (perDay.get(d.day) ?? 0) + d.answers);
    return [...perDay].map(([day, answers]) => ({ day, answers })).sort((a, b) => a.day.localeCompare(b.day));
  };
  const past = campaign.previousCampaignId ? await totals(campaign.previousCampaignId) : [];
  const lastYear = past.length ? curveFromDays(past, past[0]!.day, past.at(-1)!.day) : null;
  const span = lastYear ? dayNumber(past.at(-1)!.day) - dayNumber(past[0]!.day) + 1 : DEFAULT_FIELDWORK_DAYS;
  const start = vietnamDay(stages.fieldwork ?? now);
  const end = campaign.letterSettings?.deadline || addDays(start, span - 1);
  const closed = !['draft', 'sampling', 'fieldwork'].includes(campaign.state);
  const elapsed = closed ? 1 : Math.min(1, Math.max(0, (dayNumber(vietnamDay(now)) - dayNumber(start) + 1) / (dayNumber(end) - dayNumber(start) + 1)));
  const plannedRate = ((await findPlan(db, campaign.id))?.design as StoredDesign | null | undefined)?.params.expectedResponseRate ?? DEFAULT_DESIGN.expectedResponseRate;
  return { elapsed: stages.fieldwork || closed ? elapsed : 0, curve: lastYear ?? DEFAULT_CURVE, lastYear: Boolean(lastYear), plannedRate, start, end };
}

/** Counts only: invited and answered per unit, and answers per day (no link to any business); monitoring.ts reads them. */
export async function responseRates(db: Db, campaignId: string) {
  const units = await q.ratesByUnit(db, campaignId);
  const perDay = new Map<string, number>();
  for (const d of await q.dailyCounts(db, campaignId)) perDay.set(d.day, (perDay.get(d.day) ?? 0) + d.answers);
  return { units, days: [...perDay].map(([day, answers]) => ({ day, answers })) };
}

export { countInvitations, latestMailRun } from './queries.js';

export { searchInvitations, letterBatches } from './queries.js';
