import type { Role } from '../auth/policy.js';
import type { Message, MessageKey } from '../i18n/index.js';

/** The campaign lifecycle of docs/design.md §3 as a pure state machine: who may move a campaign, and when. */

export const STATES = ['draft', 'sampling', 'fieldwork', 'closed', 'unsealed', 'published'] as const;
export type CampaignState = (typeof STATES)[number];

/** What the guards look at; each capability contributes its facts as it lands. */
export interface CampaignFacts {
  unitCount: number;
  committee: { size: number; threshold: number } | null;
  /** Members chosen to hold key shares. */
  committeeChosen: number;
  /** Display names of chosen members who have not created their personal keys yet. */
  committeeWithoutKeys: string[];
  /** Committee approvals held for unsealing (sealing capability). */
  unsealApprovals: number;
  /** Sampling capability: the frame is frozen, the sample drawn, the invitations created. */
  frameFrozen: boolean;
  sampleDrawn: boolean;
  invitationsCreated: boolean;
}

interface Transition {
  to: CampaignState;
  roles: readonly Role[];
  /** Each returns a refusal message, or null when satisfied. */
  guards: ReadonlyArray<(facts: CampaignFacts) => Message | null>;
}

const needsUnits = (f: CampaignFacts): Message | null =>
  f.unitCount > 0 ? null : { key: 'transition.needsUnits' };
const needsCommittee = (f: CampaignFacts): Message | null => (f.committee ? null : { key: 'transition.needsCommittee' });
const needsMembers = (f: CampaignFacts): Message | null =>
  f.committee && f.committeeChosen === f.committee.size
    ? null
    : { key: 'transition.needsMembers', params: { n: f.committee?.size ?? 0, chosen: f.committeeChosen } };
const needsMemberKeys = (f: CampaignFacts): Message | null =>
  f.committeeWithoutKeys.length === 0 ? null : { key: 'transition.needsMemberKeys', params: { names: f.committeeWithoutKeys.join(', ') } };
const needsFrame = (f: CampaignFacts): Message | null => (f.frameFrozen ? null : { key: 'transition.needsFrame' });
const needsSample = (f: CampaignFacts): Message | null => (f.sampleDrawn ? null : { key: 'transition.needsSample' });
const needsInvitations = (f: CampaignFacts): Message | null => (f.invitationsCreated ? null : { key: 'transition.needsInvitations' });
const needsQuorum = (f: CampaignFacts): Message | null =>
  f.committee && f.unsealApprovals >= f.committee.threshold
    ? null
    : { key: 'transition.needsQuorum', params: { k: f.committee?.threshold ?? 0 } };

/** Forward only: a campaign never goes back (a frozen frame, a drawn sample, published results stay). */
const TRANSITIONS: Record<CampaignState, Transition | null> = {
  draft: { to: 'sampling', roles: ['admin'], guards: [needsUnits, needsCommittee, needsMembers] },
  // Starting fieldwork runs the key ceremony, which needs every member's public key.
  sampling: { to: 'fieldwork', roles: ['admin'], guards: [needsFrame, needsSample, needsInvitations, needsMembers, needsMemberKeys] },
  fieldwork: { to: 'closed', roles: ['admin'], guards: [] },
  closed: { to: 'unsealed', roles: ['member', 'chair'], guards: [needsQuorum] },
  unsealed: { to: 'published', roles: ['chair'], guards: [] },
  published: null,
};

export function nextState(from: CampaignState): CampaignState | null {
  return TRANSITIONS[from]?.to ?? null;
}

export function isState(value: unknown): value is CampaignState {
  return typeof value === 'string' && (STATES as readonly string[]).includes(value);
}

export type TransitionCheck = { ok: true } | { ok: false; reason: Message };

/** Whether `role` may move a campaign from `from` to `to` now; the first unmet condition otherwise. */
export function checkTransition(from: CampaignState, to: CampaignState, role: Role, facts: CampaignFacts): TransitionCheck {
  const transition = TRANSITIONS[from];
  if (!transition || transition.to !== to) {
    return { ok: false, reason: { key: 'transition.notAllowed', params: { from: `state.${from}`, to: `state.${to}` } } };
  }
  if (!transition.roles.includes(role)) {
    return { ok: false, reason: { key: 'transition.roleRefused', params: { role: `role.${role}`, to: `state.${to}` } } };
  }
  for (const guard of transition.guards) {
    const refusal = guard(facts);
    if (refusal) return { ok: false, reason: refusal };
  }
  return { ok: true };
}

/** What each condition of a move is, in words, and who must act on it. */
const STEPS = new Map<(f: CampaignFacts) => Message | null, { step: MessageKey; who: readonly Role[] }>([
  [needsUnits, { step: 'checklist.units', who: ['admin'] }],
  [needsCommittee, { step: 'checklist.committee', who: ['admin'] }],
  [needsMembers, { step: 'checklist.members', who: ['admin'] }],
  [needsFrame, { step: 'checklist.frame', who: ['admin'] }],
  [needsSample, { step: 'checklist.sample', who: ['admin'] }],
  [needsInvitations, { step: 'checklist.invitations', who: ['admin'] }],
  [needsMemberKeys, { step: 'checklist.memberKeys', who: ['member', 'chair'] }],
  [needsQuorum, { step: 'checklist.quorum', who: ['member', 'chair'] }],
]);

export interface ChecklistItem {
  step: MessageKey;
  done: boolean;
  /** What is still missing, when not done. */
  missing: Message | null;
  who: readonly Role[];
}

/**
 * The stage's checklist, pure: each condition of the next move — done or not, what is missing, who must
 * act — then the move itself and who makes it. The same guards decide the move, so the list cannot drift
 * from what the move will accept.
 */
export function checklist(state: CampaignState, facts: CampaignFacts): { items: ChecklistItem[]; next: CampaignState | null; who: readonly Role[] } {
  const transition = TRANSITIONS[state];
  if (!transition) return { items: [], next: null, who: [] };
  const items = transition.guards.map((guard) => {
    const missing = guard(facts);
    const { step, who } = STEPS.get(guard)!;
    return { step, done: missing === null, missing, who };
  });
  return { items, next: transition.to, who: transition.roles };
}

/** The roles that may trigger the move out of `from` (for showing or hiding the button). */
export function rolesForNext(from: CampaignState): readonly Role[] {
  return TRANSITIONS[from]?.roles ?? [];
}
