import { primaryKey, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea, createdAt } from './columns.js';
import { campaignRef, staffRef } from './core.js';

/** A committee member's personal keys: public halves in clear, private halves as encrypted PKCS#8 only. */
export const memberKeys = pgTable('member_keys', {
  staffId: staffRef().primaryKey(),
  encryptionPublic: bytea('encryption_public').notNull(),
  signingPublic: bytea('signing_public').notNull(),
  encryptionPrivatePem: text('encryption_private_pem').notNull(),
  signingPrivatePem: text('signing_private_pem').notNull(),
  kdfSalt: text('kdf_salt').notNull(),
  kdf: text('kdf').notNull(),
  fingerprint: text('fingerprint').notNull(),
  createdAt: createdAt(),
});

/** Who holds a key share of a campaign (chosen while the campaign is a draft). */
export const committeeMembers = pgTable(
  'committee_members',
  {
    campaignId: campaignRef(),
    staffId: staffRef(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.staffId] })],
);

/** The campaign public key from the key ceremony; its private key exists only as the shares below. */
export const campaignKeys = pgTable('campaign_keys', {
  campaignId: campaignRef().primaryKey(),
  publicKey: bytea('public_key').notNull(),
  fingerprint: text('fingerprint').notNull(),
  threshold: integer('threshold').notNull(),
  shareCount: integer('share_count').notNull(),
  shareTag: text('share_tag').notNull(),
  envelopeTag: text('envelope_tag').notNull(),
  createdAt: createdAt(),
});

/** One Shamir share per member, sealed to that member's X25519 key. */
export const keyShares = pgTable(
  'key_shares',
  {
    campaignId: campaignRef(),
    staffId: staffRef(),
    shareIndex: integer('share_index').notNull(),
    sealedShare: bytea('sealed_share').notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.staffId] })],
);

/**
 * A committee member's approval of unsealing: the member's share, opened with the passphrase and sealed at
 * once under the approval key (derived from the server's secret, never in the database), so every app
 * instance can use it and no database holder can read it. Deleted when used or past `expires_at`.
 */
export const unsealApprovals = pgTable(
  'unseal_approvals',
  {
    campaignId: campaignRef(),
    staffId: staffRef(),
    sealedShare: bytea('sealed_share').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.staffId] })],
);
