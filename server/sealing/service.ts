import { sign, type KeyObject } from 'node:crypto';
import { recordAudit } from '../audit/index.js';
import type { StaffPrincipal } from '../auth/policy.js';
import type { Db } from '../db/client.js';
import { ok, refuse, type Result } from '../result.js';
import { openDocument, sealDocument, type SealedDocument } from './documents.js';
import { ENVELOPE_TAG, envelopeSealer, type EnvelopeSealer } from './envelope.js';
import { EphemeralKeyPool } from './ephemeral-keys.js';
import { createMemberKeys, unlockMemberKey, type MemberKeyUse } from './member-keys.js';
import { SealingError } from './primitives.js';
import * as q from './queries.js';
import { openShare, runCeremony, SHARE_TAG } from './shares.js';
import type { Decryptor, UnsealingRegistry } from './unsealing.js';

export async function memberKeyFingerprint(db: Db, staffId: string): Promise<string | undefined> {
  return (await q.findMemberKeys(db, staffId))?.fingerprint;
}

/** Creates a member's personal keys once; returns the fingerprint to compare out of band. */
export async function createKeysForMember(db: Db, staff: StaffPrincipal, passphrase: string): Promise<Result<string>> {
  if (await q.findMemberKeys(db, staff.id)) return refuse({ key: 'keys.exist' });
  const record = await createMemberKeys(passphrase);
  return db.transaction(async (tx) => {
    if (!(await q.insertMemberKeys(tx, { staffId: staff.id, ...record }))) return refuse({ key: 'keys.exist' });
    await recordAudit(tx, {
      actor: staff.username,
      action: 'sealing.member_keys_created',
      subject: staff.username,
      details: { fingerprint: record.fingerprint },
    });
    return ok(record.fingerprint);
  });
}

async function unlock(db: Db, staffId: string, passphrase: string, use: MemberKeyUse = 'encryption'): Promise<KeyObject | null> {
  const record = await q.findMemberKeys(db, staffId);
  return record ? unlockMemberKey(record, passphrase, use) : null;
}

export interface CommitteeReadiness {
  chosen: number;
  /** Chosen members without personal keys: ids, and names to tell the administrator. */
  withoutKeyIds: string[];
  withoutKeys: string[];
}

export async function committeeReadiness(db: Db, campaignId: string): Promise<CommitteeReadiness> {
  const committee = await q.committeeWithKeys(db, campaignId);
  const missing = committee.filter((m) => !m.encryptionPublic);
  return { chosen: committee.length, withoutKeyIds: missing.map((m) => m.staffId), withoutKeys: missing.map((m) => m.displayName) };
}

/**
 * The key ceremony, inside the transaction that starts fieldwork: generate the campaign key, split it
 * k-of-n, seal each share to its member, keep only the public key. The private key never reaches the
 * database and is gone when this returns.
 */
export async function runKeyCeremony(tx: Db, campaignId: string, actor: string, threshold: number): Promise<string> {
  const committee = await q.committeeWithKeys(tx, campaignId);
  const recipients = committee.map((m) => {
    if (!m.encryptionPublic) throw new Error(`key ceremony: ${m.username} has no key`); // guarded before
    return { memberId: m.staffId, encryptionPublic: m.encryptionPublic };
  });
  const ceremony = await runCeremony(campaignId, recipients, threshold);
  await q.insertCampaignKey(tx, {
    campaignId,
    publicKey: ceremony.campaignPublic,
    fingerprint: ceremony.fingerprint,
    threshold,
    shareCount: recipients.length,
    shareTag: SHARE_TAG,
    envelopeTag: ENVELOPE_TAG,
  });
  await q.insertShares(
    tx,
    ceremony.shares.map((s) => ({ campaignId, staffId: s.memberId, shareIndex: s.index, sealedShare: s.sealed })),
  );
  await recordAudit(tx, {
    actor,
    action: 'sealing.key_ceremony',
    campaignId,
    details: {
      fingerprint: ceremony.fingerprint,
      n: recipients.length,
      k: threshold,
      members: committee.map((m) => m.username),
      algorithms: SHARE_TAG,
    },
  });
  return ceremony.fingerprint;
}

export async function campaignKeyFingerprint(db: Db, campaignId: string): Promise<string | undefined> {
  return (await q.findCampaignKey(db, campaignId))?.fingerprint;
}

/** A function that seals answers to the campaign key (key agreements made ahead under load); refuses before the key ceremony has run. */
export async function responseSealer(db: Db, campaignId: string, onPoolError?: (error: Error) => void): Promise<EnvelopeSealer> {
  const key = await q.findCampaignKey(db, campaignId);
  if (!key) throw new SealingError('format', 'this campaign has no key yet: the key ceremony runs when fieldwork starts');
  const pool = new EphemeralKeyPool(key.publicKey, onPoolError);
  return envelopeSealer(key.publicKey, () => pool.take());
}

export interface Approval {
  held: number;
  threshold: number;
}

/**
 * A committee member approves unsealing with the passphrase: the member's share is opened and held,
 * sealed under the approval key, for every instance (UnsealingRegistry). Every refusal is audited; nothing is decrypted unless all checks pass.
 */
export async function approveUnsealing(
  db: Db,
  registry: UnsealingRegistry,
  campaignId: string,
  staff: StaffPrincipal,
  passphrase: string,
): Promise<Result<Approval>> {
  const refuseAudited = async (reason: 'not-closed' | 'not-member' | 'passphrase' | 'share', message: Parameters<typeof refuse>[0]) => {
    await db.transaction((tx) =>
      recordAudit(tx, { actor: staff.username, action: 'sealing.approval_refused', campaignId, subject: staff.username, details: { reason } }),
    );
    return refuse(message);
  };
  const [campaign, key, sealedShare] = await Promise.all([
    q.campaignThreshold(db, campaignId),
    q.findCampaignKey(db, campaignId),
    q.findShare(db, campaignId, staff.id),
  ]);
  if (!campaign) return refuse({ key: 'campaigns.notFound' });
  if (campaign.state !== 'closed' || !key) return refuseAudited('not-closed', { key: 'unseal.notClosed' });
  if (!sealedShare) return refuseAudited('not-member', { key: 'unseal.notMember' });
  const memberKey = await unlock(db, staff.id, passphrase);
  if (!memberKey) return refuseAudited('passphrase', { key: 'unseal.wrongPassphrase' });
  let share: Buffer;
  try {
    share = openShare(sealedShare.sealedShare, memberKey, campaignId, staff.id, key.publicKey);
  } catch {
    return refuseAudited('share', { key: 'unseal.badShare' });
  }
  const held = await registry.hold(campaignId, staff.id, share);
  await db.transaction((tx) =>
    recordAudit(tx, { actor: staff.username, action: 'sealing.approved', campaignId, subject: staff.username, details: { held, k: key.threshold } }),
  );
  return ok({ held, threshold: key.threshold });
}

/** Lends `work` a decryptor once k approvals are held (see UnsealingRegistry.withDecryptor). */
export async function withCampaignDecryptor<T>(
  db: Db,
  registry: UnsealingRegistry,
  campaignId: string,
  work: (decryptor: Decryptor) => Promise<T>,
): Promise<T> {
  const key = await q.findCampaignKey(db, campaignId);
  if (!key) throw new SealingError('format', 'this campaign has no key');
  return registry.withDecryptor(campaignId, key.threshold, key.publicKey, work);
}

/** Seals a document (the results) for every committee member of the campaign. */
export async function sealForCommittee(db: Db, campaignId: string, document: Buffer): Promise<SealedDocument> {
  const committee = await q.committeeWithKeys(db, campaignId);
  return sealDocument(
    document,
    committee.flatMap((m) => (m.encryptionPublic ? [{ memberId: m.staffId, encryptionPublic: m.encryptionPublic }] : [])),
  );
}

/** A member reads a sealed document with the passphrase. */
export async function openForMember(db: Db, document: SealedDocument, staff: StaffPrincipal, passphrase: string): Promise<Result<Buffer>> {
  const memberKey = await unlock(db, staff.id, passphrase);
  if (!memberKey) return refuse({ key: 'unseal.wrongPassphrase' });
  try {
    return ok(openDocument(document, staff.id, memberKey));
  } catch {
    return refuse({ key: 'unseal.notMember' });
  }
}

/** A member signs a message with the Ed25519 key unlocked by the passphrase (the chair, at publication). */
export async function signAsMember(
  db: Db,
  staff: StaffPrincipal,
  passphrase: string,
  message: Buffer,
): Promise<Result<{ signature: Buffer; signingPublic: Buffer; fingerprint: string }>> {
  const key = await unlock(db, staff.id, passphrase, 'signing');
  const record = await q.findMemberKeys(db, staff.id);
  if (!key || !record) return refuse({ key: 'unseal.wrongPassphrase' });
  return ok({ signature: sign(null, message, key), signingPublic: record.signingPublic, fingerprint: record.fingerprint });
}
