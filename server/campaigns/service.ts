import { nanoid } from 'nanoid';
import { recordAudit } from '../audit/index.js';
import type { Db } from '../db/client.js';
import { currentPins, shippedCatalog, type Block, type Catalog } from '../questionnaires/index.js';
import { ok, refuse, type Result, type RowError } from '../result.js';
import * as q from './queries.js';
import type { CampaignForm, CommitteeForm, LetterForm, ReportHeaderForm, UnitForm } from './schemas.js';
import type { LetterSettings } from '../db/schema.js';
import { parseUnitLinks, parseUnitsCsv, type UnitInput } from './units-csv.js';

export type { CampaignRow, UnitRow } from './queries.js';
export { listCampaigns, findCampaign, listUnits } from './queries.js';

/**
 * "New campaign from last year": a draft for the next year of the series, following `previousId`, with
 * its methodology version, units (same codes and blocks, each continuing itself), committee size,
 * threshold and members. The administrator then edits units and links for this year's structure.
 */
export async function createFollowUp(db: Db, actor: string, previousId: string, form: Partial<CampaignForm> = {}): Promise<Result<string>> {
  return db.transaction(async (tx) => {
    const previous = await q.findCampaign(tx, previousId);
    if (!previous) return refuse({ key: 'campaigns.notFound' });
    const year = form.year ?? previous.year + 1;
    if (year <= previous.year) return refuse({ key: 'series.yearAfter', params: { year: previous.year } });
    if (await q.findCampaignByProvinceYear(tx, previous.province, year)) return refuse({ key: 'campaigns.duplicate', params: { province: previous.province, year } });
    const id = nanoid(12);
    const title = form.title ?? previous.title.replace(String(previous.year), String(year));
    await q.insertCampaign(tx, {
      id,
      province: previous.province,
      year,
      title,
      methodologyVersion: previous.methodologyVersion,
      previousCampaignId: previous.id,
      committeeSize: previous.committeeSize,
      committeeThreshold: previous.committeeThreshold,
    });
    const units = await q.listUnits(tx, previous.id);
    await q.insertUnits(tx, units.map((u) => ({ id: nanoid(12), campaignId: id, code: u.code, block: u.block, nameVi: u.nameVi, nameEn: u.nameEn })));
    await q.replaceUnitLinks(tx, id, units.map((u) => ({ code: u.code, previous: u.code })));
    await q.replaceCommittee(tx, id, await q.committeeIds(tx, previous.id));
    await recordAudit(tx, { actor, action: 'campaign.created', campaignId: id, details: { province: previous.province, year, title, methodologyVersion: previous.methodologyVersion, follows: previous.id, units: units.length } });
    return ok(id);
  });
}

/**
 * Which of last year's units each unit continues, as CSV lines `code,previous_code` (a merge: several lines
 * for one code; a split: one previous code on several lines; a new unit: no line). Replaces the links.
 */
export async function setUnitLinks(db: Db, actor: string, campaignId: string, csv: string): Promise<ImportOutcome> {
  let rowErrors: RowError[] | undefined;
  const result = await inDraft(db, campaignId, async (tx, campaign) => {
    if (!campaign.previousCampaignId) return refuse({ key: 'series.noPrevious' });
    const parsed = parseUnitLinks(csv, new Set((await q.listUnits(tx, campaignId)).map((u) => u.code)), new Set((await q.listUnits(tx, campaign.previousCampaignId)).map((u) => u.code)));
    if (!parsed.ok) {
      rowErrors = parsed.errors;
      return refuse({ key: 'series.linksInvalid', params: { count: parsed.errors.length } });
    }
    await q.replaceUnitLinks(tx, campaignId, parsed.links);
    await recordAudit(tx, { actor, action: 'campaign.unit_links_set', campaignId, details: { links: parsed.links.length } });
    return ok(parsed.links.length);
  });
  return rowErrors ? { ...result, rowErrors } : result;
}

/** The report's header, at any stage: it is how the report is titled, not part of the signed results. */
export async function setReportHeader(db: Db, actor: string, campaignId: string, form: ReportHeaderForm): Promise<Result<null>> {
  const issuer = form.issuer?.trim() || null;
  const title = form.title?.trim() || null;
  return db.transaction(async (tx) => {
    if (!(await q.updateReportHeader(tx, campaignId, issuer, title))) return refuse({ key: 'campaigns.notFound' });
    await recordAudit(tx, { actor, action: 'campaign.report_header_set', campaignId, details: { issuer, title } });
    return ok(null);
  });
}

/** What the letters say beyond the code; empty fields fall back to the letter's defaults. */
export async function setLetterSettings(db: Db, actor: string, campaignId: string, form: LetterForm): Promise<Result<null>> {
  const settings = Object.fromEntries(Object.entries(form).flatMap(([k, v]) => (typeof v === 'string' && v.trim() ? [[k, v.trim()]] : []))) as LetterSettings;
  return db.transaction(async (tx) => {
    if (!(await q.updateLetterSettings(tx, campaignId, settings))) return refuse({ key: 'campaigns.notFound' });
    await recordAudit(tx, { actor, action: 'campaign.letter_set', campaignId, details: { ...settings } });
    return ok(null);
  });
}

export async function createCampaign(db: Db, actor: string, form: CampaignForm): Promise<Result<string>> {
  return db.transaction(async (tx) => {
    if (await q.findCampaignByProvinceYear(tx, form.province, form.year)) {
      return refuse({ key: 'campaigns.duplicate', params: { province: form.province, year: form.year } });
    }
    const pins = form.methodologyVersion ? { methodologyVersion: form.methodologyVersion } : currentPins();
    if (!shippedCatalog().methodologies.has(pins.methodologyVersion)) return refuse({ key: 'campaigns.unknownMethodology', params: { version: pins.methodologyVersion } });
    const id = nanoid(12);
    await q.insertCampaign(tx, { id, ...form, ...pins });
    await recordAudit(tx, { actor, action: 'campaign.created', campaignId: id, details: { ...form, ...pins } });
    return ok(id);
  });
}

/**
 * Runs a change that is only allowed while the campaign is a draft, with the campaign row locked so
 * a concurrent move out of draft cannot slip in between the check and the change.
 */
async function inDraft<T>(db: Db, campaignId: string, change: (tx: Db, campaign: q.CampaignRow) => Promise<Result<T>>): Promise<Result<T>> {
  return db.transaction(async (tx) => {
    const campaign = await q.lockCampaign(tx, campaignId);
    if (!campaign) return refuse({ key: 'campaigns.notFound' });
    if (campaign.state !== 'draft') return refuse({ key: 'campaigns.draftOnly' });
    return change(tx, campaign);
  });
}

async function existingCodes(tx: Db, campaignId: string): Promise<Set<string>> {
  return new Set((await q.listUnits(tx, campaignId)).map((u) => u.code));
}

async function insertAndAudit(tx: Db, actor: string, campaignId: string, inputs: UnitInput[], action: string) {
  await q.insertUnits(
    tx,
    inputs.map((u) => ({ id: nanoid(12), campaignId, ...u })),
  );
  await recordAudit(tx, {
    actor,
    action,
    campaignId,
    details: { count: inputs.length, codes: inputs.map((u) => u.code) },
  });
}

/** The block codes a campaign's pinned methodology defines. */
export function campaignBlocks(campaign: Pick<q.CampaignRow, 'methodologyVersion'>, catalog: Catalog = shippedCatalog()): Block[] {
  return catalog.methodologies.get(campaign.methodologyVersion)?.blocks ?? [];
}

export function addUnit(db: Db, actor: string, campaignId: string, form: UnitForm): Promise<Result<string>> {
  return inDraft(db, campaignId, async (tx, campaign) => {
    const blocks = campaignBlocks(campaign).map((b) => b.code);
    if (!blocks.includes(form.block)) return refuse({ key: 'units.unknownBlock', params: { blocks: blocks.join(', ') } });
    if ((await existingCodes(tx, campaignId)).has(form.code)) {
      return refuse({ key: 'units.duplicateCode', params: { code: form.code } });
    }
    await insertAndAudit(tx, actor, campaignId, [form], 'units.added');
    return ok(form.code);
  });
}

export type ImportOutcome = Result<number> & { rowErrors?: RowError[] };

/** All or nothing: a file with any bad row imports no unit and reports every bad row. */
export async function importUnits(db: Db, actor: string, campaignId: string, csv: string): Promise<ImportOutcome> {
  let rowErrors: RowError[] | undefined;
  const result = await inDraft(db, campaignId, async (tx, campaign) => {
    const parsed = parseUnitsCsv(csv, campaignBlocks(campaign).map((b) => b.code), await existingCodes(tx, campaignId));
    if (!parsed.ok) {
      rowErrors = parsed.errors;
      return refuse({ key: 'units.importFailed', params: { count: parsed.errors.length } });
    }
    await insertAndAudit(tx, actor, campaignId, parsed.units, 'units.imported');
    return ok(parsed.units.length);
  });
  return rowErrors ? { ...result, rowErrors } : result;
}

export function deleteUnit(db: Db, actor: string, campaignId: string, unitId: string): Promise<Result<string>> {
  return inDraft(db, campaignId, async (tx) => {
    const code = await q.deleteUnit(tx, campaignId, unitId);
    if (!code) return refuse({ key: 'error.404' });
    await recordAudit(tx, { actor, action: 'units.deleted', campaignId, subject: code });
    return ok(code);
  });
}

export function setCommittee(db: Db, actor: string, campaignId: string, form: CommitteeForm): Promise<Result<undefined>> {
  if (form.threshold > form.size) return Promise.resolve(refuse({ key: 'campaigns.committeeInvalid' }));
  return inDraft(db, campaignId, async (tx) => {
    await q.updateCommittee(tx, campaignId, form.size, form.threshold);
    await recordAudit(tx, { actor, action: 'campaign.committee_set', campaignId, details: { ...form } });
    return ok(undefined);
  });
}

/** Chooses, by username, the members who will hold key shares: exactly n committee-role accounts. */
export function setCommitteeMembers(db: Db, actor: string, campaignId: string, usernames: string[]): Promise<Result<undefined>> {
  return inDraft(db, campaignId, async (tx) => {
    const campaign = (await q.findCampaign(tx, campaignId))!;
    if (campaign.committeeSize === null) return refuse({ key: 'campaigns.committeeNotSet' });
    const wanted = new Set(usernames);
    const chosen = (await q.committeeCandidates(tx)).filter((c) => wanted.has(c.username));
    if (chosen.length !== wanted.size) return refuse({ key: 'committee.notCommitteeRole' });
    if (chosen.length !== campaign.committeeSize) {
      return refuse({ key: 'committee.chooseExactly', params: { n: campaign.committeeSize } });
    }
    await q.replaceCommittee(tx, campaignId, chosen.map((c) => c.id));
    await recordAudit(tx, { actor, action: 'campaign.committee_members_set', campaignId, details: { members: chosen.map((c) => c.username) } });
    return ok(undefined);
  });
}
