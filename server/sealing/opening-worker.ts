import { parentPort, workerData } from 'node:worker_threads';
import { openEnvelope } from './envelope.js';
import { SealingError, x25519PrivateFromRaw } from './primitives.js';
import { packed, unpacked, type OpeningReply, type OpeningRequest } from './opening.js';

/** A worker thread opening envelopes with the campaign key it was lent (see opening.ts). */
const { privateRaw, publicRaw } = workerData as { privateRaw: Uint8Array; publicRaw: Uint8Array };
const key = x25519PrivateFromRaw(privateRaw);
privateRaw.fill(0);
const campaignPublic = Buffer.from(publicRaw);

parentPort!.on('message', ({ envelopes, ends, contexts }: OpeningRequest) => {
  const opened: Buffer[] = [];
  try {
    unpacked(envelopes, ends).forEach((envelope, i) => opened.push(openEnvelope(envelope, key, campaignPublic, contexts[i]!)));
  } catch (error) {
    for (const plaintext of opened) plaintext.fill(0);
    const failure = error instanceof SealingError ? { code: error.code, message: error.message } : { code: 'format' as const, message: 'an envelope could not be opened' };
    parentPort!.postMessage({ failure } satisfies OpeningReply);
    return;
  }
  const { bytes, ends: plainEnds } = packed(opened);
  for (const plaintext of opened) plaintext.fill(0);
  parentPort!.postMessage({ plaintexts: bytes, ends: plainEnds } satisfies OpeningReply, [bytes]);
});
