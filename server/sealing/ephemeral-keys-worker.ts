import { parentPort, workerData } from 'node:worker_threads';
import { agreeEphemeralKek } from './envelope.js';
import { AGREEMENT_BYTES } from './ephemeral-keys.js';
import { KEY_BYTES, x25519PublicFromRaw } from './primitives.js';

/** A worker thread making key agreements with one campaign public key, a batch per message (see ephemeral-keys.ts). */
const IDLE_MS = 10_000;
const { publicRaw } = workerData as { publicRaw: Uint8Array };
const campaignPublicRaw = Buffer.from(publicRaw);
const campaignPublic = x25519PublicFromRaw(campaignPublicRaw);
let idle: NodeJS.Timeout | undefined;

parentPort!.on('message', (count: number) => {
  clearTimeout(idle);
  const moved = new ArrayBuffer(count * AGREEMENT_BYTES);
  const made = Buffer.from(moved);
  for (let i = 0; i < count; i++) {
    const { ephemeralRaw, kek } = agreeEphemeralKek(campaignPublic, campaignPublicRaw);
    ephemeralRaw.copy(made, i * AGREEMENT_BYTES);
    kek.copy(made, i * AGREEMENT_BYTES + KEY_BYTES);
    kek.fill(0);
  }
  parentPort!.postMessage(moved, [moved]);
  // Forms stopped coming fast: the thread ends (the pool starts another when they come again).
  idle = setTimeout(() => process.exit(0), IDLE_MS);
});
