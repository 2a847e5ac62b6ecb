import { availableParallelism } from 'node:os';
import type { Methodology } from '../questionnaires/index.js';
import { startWorker } from '../workers.js';
import type { BootstrapDraws, PreparedScoring, ScoringResult } from './types.js';
import { finishYear, prepareYear, scoreMicrodata, withChanges, type AnyMicrodata, type PreviousYear } from './microdata.js';

/**
 * `scoreMicrodata` with the bootstrap replicates shared among worker threads. Each replicate draws from
 * its own seeded stream, so the figures are the same whatever the number of threads.
 */
export async function scoreMicrodataInParallel(microdata: AnyMicrodata, methodology: Methodology, previous?: PreviousYear, threads = Math.min(availableParallelism(), 4)): Promise<ScoringResult> {
  if (threads <= 1 || methodology.bootstrap.replicates < 2) return scoreMicrodata(microdata, methodology, previous);
  const scoreYear = async (m: AnyMicrodata, method: Methodology) => {
    // Prepared once here; the workers receive the typed arrays, not the responses.
    const { prepared, seed } = prepareYear(m, method);
    return finishYear(prepared, seed, await bootstrapInWorkers(prepared, seed, threads));
  };
  const before = previous && { year: await scoreYear(previous.microdata, previous.methodology), campaign: previous.microdata.campaign.id };
  return withChanges(microdata, await scoreYear(microdata, methodology), before);
}

async function bootstrapInWorkers(prepared: PreparedScoring, seed: number, threads: number): Promise<BootstrapDraws> {
  const replicates = prepared.methodology.bootstrap.replicates;
  const per = Math.ceil(replicates / threads);
  const ranges = Array.from({ length: threads }, (_, i) => [i * per, Math.min(replicates, (i + 1) * per)] as const).filter(([from, to]) => from < to);
  const parts = await Promise.all(ranges.map(([from, to]) => inWorker({ prepared, seed, from, to })));
  return Object.fromEntries(prepared.blocks.map(({ block }) => [block.code, parts.flatMap((p) => p[block.code] ?? [])]));
}

function inWorker(data: { prepared: PreparedScoring; seed: number; from: number; to: number }): Promise<BootstrapDraws> {
  const worker = startWorker(import.meta.url, 'bootstrap-worker', { workerData: data });
  return new Promise((resolve, reject) => {
    worker.once('message', (draws: BootstrapDraws) => resolve(draws));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`bootstrap worker exited with code ${code}`)));
  });
}
