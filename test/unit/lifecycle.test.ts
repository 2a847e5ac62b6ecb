import { ROLES } from '../../server/auth/policy.js';
import { checklist, checkTransition, STATES, type CampaignFacts } from '../../server/campaigns/lifecycle.js';

const ready: CampaignFacts = {
  unitCount: 30,
  committee: { size: 5, threshold: 3 },
  committeeChosen: 5,
  committeeWithoutKeys: [],
  unsealApprovals: 3,
  frameFrozen: true,
  sampleDrawn: true,
  invitationsCreated: true,
};
const LEGAL: Record<string, string> = {
  'draft>sampling': 'admin',
  'sampling>fieldwork': 'admin',
  'fieldwork>closed': 'admin',
  'closed>unsealed': 'member,chair',
  'unsealed>published': 'chair',
};

describe('campaign lifecycle', () => {
  test('only the five forward steps, by their roles, are allowed — every other pair is refused', () => {
    let allowed = 0;
    for (const from of STATES) {
      for (const to of STATES) {
        for (const role of ROLES) {
          const result = checkTransition(from, to, role, ready);
          const legalRoles = LEGAL[`${from}>${to}`]?.split(',') ?? [];
          expect({ from, to, role, ok: result.ok }).toEqual({ from, to, role, ok: legalRoles.includes(role) });
          if (result.ok) allowed++;
          else if (legalRoles.length === 0) expect(result.reason.key).toBe('transition.notAllowed');
          else expect(result.reason.key).toBe('transition.roleRefused');
        }
      }
    }
    expect(allowed).toBe(6);
  });

  test('sampling needs units and a committee', () => {
    const none = { ...ready, unitCount: 0 };
    expect(checkTransition('draft', 'sampling', 'admin', none)).toEqual({ ok: false, reason: { key: 'transition.needsUnits' } });
    expect(checkTransition('draft', 'sampling', 'admin', { ...ready, committee: null })).toEqual({
      ok: false,
      reason: { key: 'transition.needsCommittee' },
    });
    expect(checkTransition('draft', 'sampling', 'admin', { ...ready, unitCount: 1 }).ok).toBe(true);
  });

  test('sampling needs the n members chosen; fieldwork (the key ceremony) needs their keys', () => {
    expect(checkTransition('draft', 'sampling', 'admin', { ...ready, committeeChosen: 4 })).toEqual({
      ok: false,
      reason: { key: 'transition.needsMembers', params: { n: 5, chosen: 4 } },
    });
    expect(checkTransition('sampling', 'fieldwork', 'admin', { ...ready, committeeWithoutKeys: ['Lê Minh Châu', 'Hoàng Văn Dũng'] })).toEqual({
      ok: false,
      reason: { key: 'transition.needsMemberKeys', params: { names: 'Lê Minh Châu, Hoàng Văn Dũng' } },
    });
  });

  test('fieldwork needs the frozen frame, the drawn sample and the invitations, in that order', () => {
    expect(checkTransition('sampling', 'fieldwork', 'admin', { ...ready, frameFrozen: false, sampleDrawn: false })).toEqual({ ok: false, reason: { key: 'transition.needsFrame' } });
    expect(checkTransition('sampling', 'fieldwork', 'admin', { ...ready, sampleDrawn: false })).toEqual({ ok: false, reason: { key: 'transition.needsSample' } });
    expect(checkTransition('sampling', 'fieldwork', 'admin', { ...ready, invitationsCreated: false })).toEqual({ ok: false, reason: { key: 'transition.needsInvitations' } });
  });

  test('unsealing needs k approvals', () => {
    const two = { ...ready, unsealApprovals: 2 };
    expect(checkTransition('closed', 'unsealed', 'chair', two)).toEqual({
      ok: false,
      reason: { key: 'transition.needsQuorum', params: { k: 3 } },
    });
  });

  test('refusals name the states in the reader’s terms', () => {
    const result = checkTransition('draft', 'published', 'chair', ready);
    expect(result).toEqual({ ok: false, reason: { key: 'transition.notAllowed', params: { from: 'state.draft', to: 'state.published' } } });
  });
});

describe('the stage checklist', () => {
  const facts = {
    unitCount: 3,
    committee: { size: 3, threshold: 2 },
    committeeChosen: 3,
    committeeWithoutKeys: ['Nguyễn Văn A'],
    unsealApprovals: 1,
    frameFrozen: true,
    sampleDrawn: false,
    invitationsCreated: false,
  };

  test('lists the conditions of the next move, done or not, what is missing and who acts', () => {
    const sampling = checklist('sampling', facts);
    expect(sampling.next).toBe('fieldwork');
    expect(sampling.who).toEqual(['admin']);
    expect(sampling.items.map((i) => [i.step, i.done])).toEqual([
      ['checklist.frame', true],
      ['checklist.sample', false],
      ['checklist.invitations', false],
      ['checklist.members', true],
      ['checklist.memberKeys', false],
    ]);
    expect(sampling.items.at(-1)).toMatchObject({ who: ['member', 'chair'], missing: { key: 'transition.needsMemberKeys', params: { names: 'Nguyễn Văn A' } } });
  });

  test('agrees with the move itself: all done exactly when the move is allowed', () => {
    for (const state of ['draft', 'sampling', 'closed'] as const) {
      for (const variant of [facts, { ...facts, sampleDrawn: true, invitationsCreated: true, committeeWithoutKeys: [], unsealApprovals: 2 }]) {
        const list = checklist(state, variant);
        const allowed = checkTransition(state, list.next!, list.who[0]!, variant).ok;
        expect({ state, allDone: list.items.every((i) => i.done) }).toEqual({ state, allDone: allowed });
      }
    }
    expect(checklist('published', facts)).toEqual({ items: [], next: null, who: [] });
  });
});
