export {
  approveUnsealing,
  campaignKeyFingerprint,
  committeeReadiness,
  createKeysForMember,
  memberKeyFingerprint,
  openForMember,
  responseSealer,
  runKeyCeremony,
  sealForCommittee,
  signAsMember,
  withCampaignDecryptor,
} from './service.js';
export { approvalKey, UnsealingRegistry, type Decryptor } from './unsealing.js';
export { SealingError } from './primitives.js';
export { MIN_PASSPHRASE_LENGTH } from './member-keys.js';
export type { SealedDocument } from './documents.js';
export { sealingRoutes, memberKeysGate } from './routes.js';
export { receiptOf, submissionKey, nonceHash, sealReceipt, openReceipt, draftKey } from './receipts.js';
export { responseContext, sealedResponseContext, type EnvelopeSealer } from './envelope.js';
export { mixingKey, sealForMixing, openFromMixing } from './mixing.js';
export { verifyEd25519 } from './primitives.js';
