import { parentPort, workerData } from 'node:worker_threads';
import { BlockBootstrap } from './bootstrap.js';
import { replicateStreams } from './random.js';
import type { BootstrapRequest } from './types.js';

/** A worker thread computing a range of bootstrap replicates, unit by unit (see parallel.ts). */
const { seed, from, to } = workerData as { seed: number; from: number; to: number };
const streams = replicateStreams(seed);
const blocks: BlockBootstrap[] = [];
parentPort!.on('message', (request: BootstrapRequest) => {
  if ('unit' in request) {
    (blocks[request.block] ??= new BlockBootstrap(streams, from, to, request.units, request.K)).add(request.unit);
    parentPort!.postMessage(null);
  } else {
    const { prepared } = request;
    parentPort!.postMessage(Object.fromEntries(prepared.blocks.map((t, b) => [t.block.code, blocks[b]!.draws(prepared, t)])));
  }
});
