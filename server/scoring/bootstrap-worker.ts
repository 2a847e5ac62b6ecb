import { parentPort, workerData } from 'node:worker_threads';
import { bootstrapReplicates } from './bootstrap.js';
import type { PreparedScoring } from './types.js';
import { replicateStreams } from './random.js';

/** A worker thread computing a range of bootstrap replicates (see parallel.ts). */
const { prepared, seed, from, to } = workerData as { prepared: PreparedScoring; seed: number; from: number; to: number };
parentPort!.postMessage(bootstrapReplicates(prepared, replicateStreams(seed), from, to));
