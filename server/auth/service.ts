import { createHash, randomBytes } from 'node:crypto';
import { nanoid } from 'nanoid';
import { recordAudit } from '../audit/index.js';
import type { Db } from '../db/client.js';
import type { MessageKey } from '../i18n/index.js';
import { burnVerification, generateOneTimePassword, hashPassword, verifyPassword } from './passwords.js';
import type { Role, StaffPrincipal } from './policy.js';
import * as q from './queries.js';

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Checks a username and password. Unknown users cost the same argon2 work as wrong passwords. */
export async function authenticate(db: Db, username: string, password: string): Promise<StaffPrincipal | null> {
  const user = await q.findStaffByUsername(db, username);
  if (!user) {
    await burnVerification(password);
    return null;
  }
  const ok = await verifyPassword(user.passwordHash, password);
  if (!ok || user.disabled) {
    await db.transaction((tx) =>
      recordAudit(tx, { actor: 'anonymous', action: 'auth.login_failed', subject: user.username }),
    );
    return null;
  }
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    mustChangePassword: user.mustChangePassword,
    unitCodes: user.unitCodes,
  };
}

/** Opens a session and returns the cookie token (only its hash is stored). */
export async function startSession(db: Db, staff: StaffPrincipal, ttlMinutes: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.transaction(async (tx) => {
    await q.insertSession(tx, hashSessionToken(token), staff.id, new Date(Date.now() + ttlMinutes * 60_000));
    await recordAudit(tx, { actor: staff.username, action: 'auth.login', subject: staff.username });
  });
  return token;
}

/** The staff member behind a session token; slides the expiry once half the lifetime has passed. */
export async function resolveSession(db: Db, tokenHash: string, ttlMinutes: number): Promise<StaffPrincipal | null> {
  const now = new Date();
  const found = await q.findSessionPrincipal(db, tokenHash, now);
  if (!found) return null;
  const { expiresAt, ...principal } = found;
  if (expiresAt.getTime() - now.getTime() < (ttlMinutes * 60_000) / 2) {
    await q.extendSession(db, tokenHash, new Date(now.getTime() + ttlMinutes * 60_000));
  }
  return principal;
}

export async function endSession(db: Db, tokenHash: string, staff: StaffPrincipal): Promise<void> {
  await db.transaction(async (tx) => {
    await q.deleteSession(tx, tokenHash);
    await recordAudit(tx, { actor: staff.username, action: 'auth.logout', subject: staff.username });
  });
}

export type PasswordChange = { ok: true } | { ok: false; field: 'current' | 'next' | 'confirm'; error: MessageKey };

/** Changes one's own password; other sessions of the account are ended. */
export async function changePassword(
  db: Db,
  staff: StaffPrincipal,
  sessionTokenHash: string,
  input: { current: string; next: string; confirm: string },
): Promise<PasswordChange> {
  const user = await q.findStaffById(db, staff.id);
  if (!user || !(await verifyPassword(user.passwordHash, input.current))) {
    return { ok: false, field: 'current', error: 'password.wrongCurrent' };
  }
  if (input.next !== input.confirm) return { ok: false, field: 'confirm', error: 'password.mismatch' };
  if (input.next === input.current) return { ok: false, field: 'next', error: 'password.sameAsOld' };
  const passwordHash = await hashPassword(input.next);
  await db.transaction(async (tx) => {
    await q.updateStaff(tx, staff.id, { passwordHash, mustChangePassword: false, passwordChangedAt: new Date() });
    await q.deleteUserSessions(tx, staff.id, sessionTokenHash);
    await recordAudit(tx, { actor: staff.username, action: 'auth.password_changed', subject: staff.username });
  });
  return { ok: true };
}

export type StaffCreation = { ok: true; oneTimePassword: string } | { ok: false; error: 'staff.usernameTaken' };

/** Creates an account with a one-time password, returned once and never stored in clear. */
export async function createStaff(
  db: Db,
  actor: string,
  input: { username: string; displayName: string; role: Role; email?: string | undefined; unitCodes?: string[] | undefined },
): Promise<StaffCreation> {
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  return db.transaction(async (tx) => {
    if (await q.findStaffByUsername(tx, input.username)) return { ok: false, error: 'staff.usernameTaken' } as const;
    await q.insertStaff(tx, { id: nanoid(), ...input, email: input.email?.trim() || null, unitCodes: input.role === 'unit_contact' ? [...new Set(input.unitCodes ?? [])].sort() : [], passwordHash });
    await recordAudit(tx, {
      actor,
      action: 'staff.created',
      subject: input.username,
      details: { role: input.role, ...(input.role === 'unit_contact' ? { units: (input.unitCodes ?? []).join(',') } : {}) },
    });
    return { ok: true, oneTimePassword } as const;
  });
}

/** Replaces an account's password with a one-time password and ends its sessions. */
export async function issueOneTimePassword(db: Db, actor: string, username: string): Promise<string | null> {
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  return db.transaction(async (tx) => {
    const user = await q.findStaffByUsername(tx, username);
    if (!user) return null;
    await q.updateStaff(tx, user.id, { passwordHash, mustChangePassword: true });
    await q.deleteUserSessions(tx, user.id);
    await recordAudit(tx, { actor, action: 'staff.password_reset', subject: user.username });
    return oneTimePassword;
  });
}

export async function setStaffDisabled(
  db: Db,
  actor: StaffPrincipal,
  username: string,
  disabled: boolean,
): Promise<{ ok: true } | { ok: false; error: MessageKey }> {
  if (disabled && username === actor.username) return { ok: false, error: 'staff.cannotDisableSelf' };
  return db.transaction(async (tx) => {
    const user = await q.findStaffByUsername(tx, username);
    if (!user) return { ok: false, error: 'staff.notFound' } as const;
    await q.updateStaff(tx, user.id, { disabled });
    if (disabled) await q.deleteUserSessions(tx, user.id);
    await recordAudit(tx, {
      actor: actor.username,
      action: disabled ? 'staff.disabled' : 'staff.enabled',
      subject: user.username,
    });
    return { ok: true } as const;
  });
}

export { listStaff, countStaff, deleteExpiredSessions } from './queries.js';
