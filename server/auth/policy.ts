/** Who may do what (docs/design.md §2). Pure: routes ask `can(role, permission)` through `requirePermission`. */

export const ROLES = ['admin', 'enumerator', 'member', 'chair', 'observer', 'unit_contact'] as const;
export type Role = (typeof ROLES)[number];

export interface StaffPrincipal {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  mustChangePassword: boolean;
  /** A unit contact's units (codes); empty for every other role. */
  unitCodes: string[];
}

export const PERMISSIONS = {
  /** Create accounts, issue one-time passwords, disable accounts. */
  'staff.manage': ['admin'],
  /** Units, committee size, lifecycle moves that belong to the administration. */
  'campaign.manage': ['admin'],
  /** Frame import, sample design and draw, invitations, reminders, replacements. */
  'sampling.manage': ['admin'],
  /** Response-rate counts per unit and per day (never who answered what). */
  'responses.monitor': ['admin', 'observer'],
  /** See a campaign's configuration and stage (never answers or results). */
  'campaign.view': ['admin', 'enumerator', 'member', 'chair', 'observer'],
  /** Read the audit log. */
  'audit.read': ['observer'],
  /** The call list of businesses still to answer, with their phones and codes (enumerators call them). */
  'calls.view': ['admin', 'enumerator'],
  /** Type in phone and paper answers for an access code. */
  'responses.enter': ['enumerator'],
  /** Hold a key share and approve unsealing. */
  'unseal.approve': ['member', 'chair'],
  /** Read the questionnaires and methodologies, shipped and designed (docs/designer.md). */
  'design.view': ['admin', 'member', 'chair', 'observer'],
  /** Start, edit and import draft questionnaires and methodologies. */
  'design.edit': ['admin'],
  /** Approve a methodology version (signed), so that campaigns can pin it. */
  'design.approve': ['chair'],
  /** Upload one's own units' lists of the businesses they dealt with, and see those lists only (docs/design.md §5). */
  'lists.upload': ['unit_contact'],
  /** Publish unsealed results. */
  'results.publish': ['chair'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Where an account lands after signing in: a unit contact has only its lists. */
export function homeOf(role: Role): string {
  return role === 'unit_contact' ? '/lists' : '/campaigns';
}

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
