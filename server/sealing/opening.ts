import { availableParallelism } from 'node:os';
import { startWorker, WorkerChannel } from '../workers.js';
import { SealingError } from './primitives.js';

/** One batch for a worker: the envelopes packed end to end (ends[i]: where envelope i ends), and their contexts. */
export interface OpeningRequest {
  envelopes: ArrayBuffer;
  ends: Uint32Array;
  contexts: string[];
}

/** The plaintexts, packed end to end (moved, not copied), or why an envelope did not open. */
export type OpeningReply = { plaintexts: ArrayBuffer; ends: Uint32Array } | { failure: { code: SealingError['code']; message: string } };

/** Buffers packed end to end in a buffer of their own (so it can be moved to another thread), and where each ends. */
export function packed(buffers: readonly Uint8Array[]): { bytes: ArrayBuffer; ends: Uint32Array } {
  const ends = new Uint32Array(buffers.length);
  let end = 0;
  buffers.forEach((b, i) => (ends[i] = end += b.length));
  const bytes = new Uint8Array(end);
  buffers.forEach((b, i) => bytes.set(b, i ? ends[i - 1] : 0));
  return { bytes: bytes.buffer, ends };
}

/** The buffers `packed` made, as views (no copy). */
export function unpacked(bytes: ArrayBuffer, ends: Uint32Array): Buffer[] {
  return Array.from(ends, (end, i) => Buffer.from(bytes, i ? ends[i - 1]! : 0, end - (i ? ends[i - 1]! : 0)));
}

export interface SealedItem {
  envelope: Buffer;
  context: string;
}

/**
 * Envelopes opened on worker threads, one per core: opening (X25519 agreement, HKDF, two AES-GCM) is most
 * of unsealing's time. Each worker holds a copy of the campaign private key from `start` until `close`,
 * which ends the threads; only a decryptor (unsealing.ts) starts them, and closes them when it is dropped.
 */
export class EnvelopeOpeners {
  private readonly workers: WorkerChannel<OpeningRequest, OpeningReply>[];

  /** `privateRaw` is copied to each thread and zeroed here. */
  constructor(privateRaw: Buffer, publicRaw: Buffer, threads = availableParallelism()) {
    this.workers = Array.from({ length: Math.max(1, threads) }, () => {
      const lent = new Uint8Array(privateRaw); // a buffer of its own, moved to the thread (not copied)
      const worker = startWorker(import.meta.url, 'opening-worker', { workerData: { privateRaw: lent, publicRaw: new Uint8Array(publicRaw) }, transferList: [lent.buffer] });
      return new WorkerChannel<OpeningRequest, OpeningReply>(worker, () => new SealingError('expired', 'the opening threads ended'));
    });
    privateRaw.fill(0);
  }

  /** Opens the items, in order, spread over the threads; the caller zeroes the plaintexts once read. */
  async open(items: readonly SealedItem[]): Promise<Buffer[]> {
    const per = Math.ceil(items.length / this.workers.length);
    const parts = this.workers.map((channel, w) => this.send(channel, items.slice(w * per, (w + 1) * per)));
    return (await Promise.all(parts)).flat();
  }

  private async send(channel: WorkerChannel<OpeningRequest, OpeningReply>, items: readonly SealedItem[]): Promise<Buffer[]> {
    if (!items.length) return [];
    const { bytes, ends } = packed(items.map((i) => i.envelope));
    const reply = await channel.request({ envelopes: bytes, ends, contexts: items.map((i) => i.context) }, [bytes]);
    if ('failure' in reply) throw new SealingError(reply.failure.code, reply.failure.message);
    return unpacked(reply.plaintexts, reply.ends);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((channel) => channel.close()));
  }
}
