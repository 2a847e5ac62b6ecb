import { randomBytes } from 'node:crypto';
import { recordAudit } from '../audit/index.js';
import { findCampaign, listUnits } from '../campaigns/queries.js';
import type { Db } from '../db/client.js';
import { ok, refuse, type Result } from '../result.js';
import { invalidParams, planUnit, type DesignParams, type UnitPlan } from './design.js';
import { DRAW_ALGORITHM, drawSample, sampleHash, seedCommitment, type DrawnEntry, type DrawStratum } from './draw.js';
import type { SizeBand } from './frame-rows.js';
import * as q from './queries.js';

export interface StoredDesign {
  params: DesignParams;
  plans: UnitPlan[];
}

/** Runs `change` on the locked plan of a campaign in the sampling stage; refusals otherwise. */
async function withPlan<T>(db: Db, campaignId: string, change: (tx: Db, plan: q.PlanRow) => Promise<Result<T>>): Promise<Result<T>> {
  const campaign = await findCampaign(db, campaignId);
  if (!campaign) return refuse({ key: 'campaigns.notFound' });
  if (campaign.state !== 'sampling') return refuse({ key: 'sampling.onlyInSampling' });
  return db.transaction(async (tx) => change(tx, await q.lockPlan(tx, campaignId)));
}

/** The design for every unit of the campaign from the frozen frame (units with no business get N = 0). */
export async function computeDesign(db: Db, campaignId: string, params: DesignParams): Promise<UnitPlan[]> {
  const stats = await q.strataStats(db, campaignId);
  const units = await listUnits(db, campaignId);
  return units.map((unit) =>
    planUnit(
      unit.code,
      stats.filter((s) => s.unitCode === unit.code).map((s) => ({ sizeBand: s.sizeBand, size: s.size, spread: s.spread })),
      params,
    ),
  );
}

export function saveDesign(db: Db, actor: string, campaignId: string, params: DesignParams): Promise<Result<UnitPlan[]>> {
  const bad = invalidParams(params);
  if (bad.length) return Promise.resolve(refuse({ key: 'design.invalid', params: { fields: bad.join(', ') } }));
  return withPlan(db, campaignId, async (tx, plan) => {
    if (!plan.frozenAt) return refuse({ key: 'design.needsFrame' });
    if (plan.seedCommitment) return refuse({ key: 'draw.alreadyCommitted' });
    const plans = await computeDesign(tx, campaignId, params);
    const design: StoredDesign = { params, plans };
    await q.updatePlan(tx, campaignId, { design: design as unknown as Record<string, unknown> });
    await recordAudit(tx, {
      actor,
      action: 'sample.design_saved',
      campaignId,
      details: { ...params, planned: plans.reduce((a, p) => a + p.planned, 0) },
    });
    return ok(plans);
  });
}

/**
 * Commits to the draw's seed (given, or 256 random bits) and, optionally, to a public random value that
 * will be mixed in. Only the commitment is published now; the seed is revealed by the draw.
 */
export function commitSeed(
  db: Db,
  actor: string,
  campaignId: string,
  input: { seed?: string | undefined; publicSource?: string | undefined },
): Promise<Result<string>> {
  return withPlan(db, campaignId, async (tx, plan) => {
    if (!plan.design) return refuse({ key: 'draw.needsDesign' });
    if (plan.seedCommitment) return refuse({ key: 'draw.alreadyCommitted' });
    const seed = input.seed?.trim() || randomBytes(32).toString('hex');
    const commitment = seedCommitment(seed);
    await q.updatePlan(tx, campaignId, {
      seed,
      seedCommitment: commitment,
      publicRandomSource: input.publicSource?.trim() || null,
      committedAt: new Date(),
    });
    await recordAudit(tx, {
      actor,
      action: 'sample.seed_committed',
      campaignId,
      details: { commitment, publicRandomSource: input.publicSource?.trim() || null },
    });
    return ok(commitment);
  });
}

/** The draw's strata from the design and the frame: every sub-stratum with its sample and reserve sizes. */
export async function drawStrata(db: Db, campaignId: string, design: StoredDesign): Promise<DrawStratum[]> {
  const members = await q.strataMembers(db, campaignId);
  const codesOf = (unitCode: string, band: SizeBand | null) =>
    members.filter((m) => m.unitCode === unitCode && (band === null || m.sizeBand === band)).flatMap((m) => m.taxCodes);
  return design.plans.flatMap((plan) =>
    plan.strata.map((s) => ({
      unitCode: plan.unitCode,
      sizeBand: s.sizeBand,
      // Without sub-strata the unit is one stratum, recorded under the band `unknown`.
      taxCodes: codesOf(plan.unitCode, design.params.bySizeBand ? s.sizeBand : null),
      sample: s.sample,
      reserve: s.reserve,
    })),
  );
}

export interface DrawOutcome {
  sample: number;
  reserve: number;
  sampleHash: string;
}

/** Draws the sample with DDCI-DRAW/1 from the committed seed (and the public value, if one was named). */
export function drawCampaignSample(db: Db, actor: string, campaignId: string, publicValue?: string): Promise<Result<DrawOutcome>> {
  return withPlan(db, campaignId, async (tx, plan) => {
    if (!plan.seedCommitment || !plan.seed || !plan.design) return refuse({ key: 'draw.needsCommitment' });
    if (plan.drawnAt) return refuse({ key: 'draw.alreadyDrawn' });
    const value = publicValue?.trim() ?? '';
    if (plan.publicRandomSource && !value) return refuse({ key: 'draw.needsPublicValue', params: { source: plan.publicRandomSource } });
    const entries: DrawnEntry[] = drawSample(await drawStrata(tx, campaignId, plan.design as unknown as StoredDesign), plan.seed, value);
    const hash = sampleHash(entries);
    await q.insertEntries(tx, campaignId, entries);
    const outcome = {
      sample: entries.filter((e) => e.role === 'sample').length,
      reserve: entries.filter((e) => e.role === 'reserve').length,
      sampleHash: hash,
    };
    await q.updatePlan(tx, campaignId, { drawAlgorithm: DRAW_ALGORITHM, sampleHash: hash, publicRandomValue: value || null, drawnAt: new Date() });
    await recordAudit(tx, {
      actor,
      action: 'sample.drawn',
      campaignId,
      details: { ...outcome, seed: plan.seed, publicRandomValue: value || null, algorithm: DRAW_ALGORITHM },
    });
    return ok(outcome);
  });
}

export { findPlan } from './queries.js';
