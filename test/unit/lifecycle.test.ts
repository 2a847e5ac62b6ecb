import { ROLES } from '../../server/auth/policy.js';
import { checkTransition, STATES, type CampaignFacts } from '../../server/campaigns/lifecycle.js';

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
