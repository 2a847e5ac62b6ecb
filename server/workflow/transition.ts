import { recordAudit } from '../audit/index.js';
import type { StaffPrincipal } from '../auth/index.js';
import { checklist, checkTransition, type CampaignFacts, type CampaignState } from '../campaigns/lifecycle.js';
import * as q from '../campaigns/queries.js';
import type { Db } from '../db/client.js';
import { countInvitations } from '../invitations/queries.js';
import { ok, refuse, type Result } from '../result.js';
import { vacuumPending } from '../responses/queries.js';
import { closeFieldwork } from '../responses/service.js';
import { findPlan } from '../sampling/queries.js';
import { committeeReadiness, runKeyCeremony } from '../sealing/index.js';

// The survey year's workflow sits above every capability it moves: the campaign's stage is decided from
// facts that sampling, invitations, sealing and responses hold, and closing or opening fieldwork acts on them.
// The capabilities below read the campaign record (campaigns/) and never the workflow.

async function factsOf(tx: Db, campaign: q.CampaignRow): Promise<CampaignFacts> {
  const unitCount = await q.unitCount(tx, campaign.id);
  const readiness = await committeeReadiness(tx, campaign.id);
  const plan = await findPlan(tx, campaign.id);
  return {
    frameFrozen: Boolean(plan?.frozenAt),
    sampleDrawn: Boolean(plan?.drawnAt),
    invitationsCreated: (await countInvitations(tx, campaign.id)).invitations > 0,
    committeeChosen: readiness.chosen,
    committeeWithoutKeys: readiness.withoutKeys,
    unitCount,
    committee:
      campaign.committeeSize !== null && campaign.committeeThreshold !== null
        ? { size: campaign.committeeSize, threshold: campaign.committeeThreshold }
        : null,
    unsealApprovals: 0, // the sealing capability's: the caller passes the count
  };
}

/** The campaign's stage checklist (lifecycle.ts) from its facts as they stand. */
export async function stageChecklist(db: Db, campaign: q.CampaignRow, known: Partial<CampaignFacts> = {}) {
  return checklist(campaign.state, { ...(await factsOf(db, campaign)), ...known });
}

export interface TransitionOptions {
  /** Facts only the caller knows (the unsealing approvals held, which the sealing capability keeps). */
  facts?: Partial<CampaignFacts>;
  /** Work that must commit with the move, or not at all (sealed results, the publication). */
  within?: (tx: Db) => Promise<void>;
  /** Closing moves the pending envelopes out of the mixing layer: its key (the server's, never stored). */
  mixKey?: Buffer;
}

/** Moves a campaign one step along its lifecycle, if the actor's role and the campaign's facts allow. */
export async function transition(
  db: Db,
  actor: StaffPrincipal,
  campaignId: string,
  to: CampaignState,
  options: TransitionOptions = {},
): Promise<Result<CampaignState>> {
  const moved = await db.transaction(async (tx): Promise<Result<CampaignState>> => {
    const campaign = await q.lockCampaign(tx, campaignId);
    if (!campaign) return refuse({ key: 'campaigns.notFound' });
    const check = checkTransition(campaign.state, to, actor.role, { ...(await factsOf(tx, campaign)), ...options.facts });
    if (!check.ok) return refuse(check.reason);
    if (!(await q.updateState(tx, campaignId, campaign.state, to))) return refuse({ key: 'transition.conflict' });
    if (to === 'fieldwork') await runKeyCeremony(tx, campaignId, actor.username, campaign.committeeThreshold!);
    // Closing waited for every submission in flight (they share-lock the campaign row): what is still
    // pending moves to the responses now, shuffled, and the bulletin is published.
    if (to === 'closed') {
      if (!options.mixKey) throw new Error('closing fieldwork needs the mixing key');
      await closeFieldwork(tx, actor.username, campaignId, options.mixKey);
    }
    await options.within?.(tx);
    await recordAudit(tx, {
      actor: actor.username,
      action: 'campaign.transition',
      campaignId,
      details: { from: campaign.state, to },
    });
    return ok(to);
  });
  if (moved.ok && to === 'closed') await vacuumPending(db);
  return moved;
}
