import { parentPort, workerData } from 'node:worker_threads';
import { simulate, type SimulationOptions } from './estimation-simulation.js';

/** Runs one simulation off Jest's module sandbox, where the scoring loops run about ten times slower. */
parentPort!.postMessage(simulate(workerData as SimulationOptions));
