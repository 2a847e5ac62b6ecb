import type { Worker } from 'node:worker_threads';
import { startWorker } from '../workers.js';
import { KEY_BYTES } from './primitives.js';
import type { EphemeralKek } from './envelope.js';

/** Bytes of one key agreement as the worker sends it: the ephemeral public key, then the KEK. */
export const AGREEMENT_BYTES = 2 * KEY_BYTES;

/** How many forms a second make it worth a thread: below this every envelope agrees its own key. */
const BUSY_PER_SECOND = 50;
const BATCH = 256;

/**
 * Key agreements made ahead, on a thread of their own, while forms come fast (docs/design.md §6). Half of
 * what sealing an envelope costs — a fresh X25519 key pair, its Diffie–Hellman with the campaign key and
 * HKDF — depends on nothing a respondent sends, so under load a worker makes them in batches and the main
 * thread, which serves the forms, only encrypts. Each agreement is handed out once and its KEK zeroed by the
 * sealer; the ephemeral private keys never leave the worker, which drops each at once. The envelopes are the
 * same as those sealed without it. The worker starts only when forms arrive faster than BUSY_PER_SECOND and
 * ends itself when idle (ephemeral-keys-worker.ts), so a quiet instance, or a test, runs no extra thread.
 */
export class EphemeralKeyPool {
  private ready: EphemeralKek[] = [];
  private worker: Worker | undefined;
  private asking = false;
  private broken = false;
  private second = 0;
  private takenThisSecond = 0;

  /** `onError` hears of a worker that failed (the pool then stops using one). */
  constructor(
    private readonly campaignPublicRaw: Buffer,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  /** A key agreement made ahead, or undefined when none is ready (the caller makes its own). */
  take(now = Date.now()): EphemeralKek | undefined {
    const second = Math.floor(now / 1000);
    if (second !== this.second) [this.second, this.takenThisSecond] = [second, 0];
    this.takenThisSecond++;
    if (this.ready.length < BATCH && (this.worker || this.takenThisSecond > BUSY_PER_SECOND)) this.ask();
    return this.ready.pop();
  }

  /** Zeroes what is ready and stops the worker. */
  close(): void {
    for (const { kek } of this.ready) kek.fill(0);
    this.ready = [];
    this.broken = true;
    void this.worker?.terminate();
  }

  private ask(): void {
    if (this.asking || this.broken) return;
    this.asking = true;
    this.workerNow().postMessage(BATCH);
  }

  private workerNow(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(import.meta.url, 'ephemeral-keys-worker', { workerData: { publicRaw: new Uint8Array(this.campaignPublicRaw) } });
    worker.unref();
    worker.on('message', (made: ArrayBuffer) => {
      this.asking = false;
      if (this.broken) return void new Uint8Array(made).fill(0); // closed meanwhile
      for (let at = 0; at < made.byteLength; at += AGREEMENT_BYTES) {
        this.ready.push({ ephemeralRaw: Buffer.from(made, at, KEY_BYTES), kek: Buffer.from(made, at + KEY_BYTES, KEY_BYTES) });
      }
    });
    // A worker that fails is not started again: every envelope then makes its own agreement, as without it.
    worker.on('error', (error) => {
      this.broken = true;
      this.onError(error);
    });
    worker.on('exit', () => {
      if (this.worker === worker) [this.worker, this.asking] = [undefined, false];
    });
    this.worker = worker;
    return worker;
  }
}
