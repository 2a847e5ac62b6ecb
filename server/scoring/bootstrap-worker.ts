import { parentPort, workerData } from 'node:worker_threads';
import type { Methodology } from '../questionnaires/index.js';
import { bootstrapReplicates } from './engine.js';
import { scoringInputOf, type Microdata } from './microdata.js';
import { replicateStreams, seedFromText } from './random.js';

/** A worker thread computing a range of bootstrap replicates (see parallel.ts). */
const { microdata, methodology, from, to } = workerData as { microdata: Microdata; methodology: Methodology; from: number; to: number };
parentPort!.postMessage(bootstrapReplicates(scoringInputOf(microdata, methodology), replicateStreams(seedFromText(microdata.seed)), from, to));
