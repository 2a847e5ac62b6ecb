import { Worker } from 'node:worker_threads';
import type { SimulationOptions, SimulationOutcome } from '../support/estimation-simulation.js';

/**
 * Bias and coverage of the estimator under the designs the sampler offers, from a seeded simulation
 * (test/support/estimation-simulation.ts): frames of 8 units with two size bands (800 small, 200 large
 * businesses) answering differently, samples of 80 per unit drawn by band with proportional or Neyman
 * allocation, scored, and compared with the frame's true values. It runs in a worker thread: under Jest's
 * module sandbox the scoring loops are about ten times slower. `npm run bench:estimation` runs more.
 */
function run(options: SimulationOptions): Promise<SimulationOutcome> {
  const worker = new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(new URL('../support/simulation-worker.ts', import.meta.url).href)}); })`,
    { eval: true, workerData: options },
  );
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

describe.each(['proportional', 'neyman'] as const)('%s allocation by size band', (allocation) => {
  // 150 samples × 8 units: 4,800 indicator and 1,200 composite intervals; the coverage of the latter is
  // known to ±0.6 % (one SD), so 93–97 % is a band of ±3 SD around 95 %.
  let outcome: SimulationOutcome;
  beforeAll(async () => {
    outcome = await run({ allocation, runs: 150, seed: 3, replicates: 500 });
  }, 120_000);
  test('mean bias under 0.01 (shares; relative for the mean in days and for the composite)', () => {
    expect(outcome.intervals).toEqual({ indicator: 4800, composite: 1200 });
    expect(Math.abs(outcome.bias.indicator)).toBeLessThan(0.01);
    expect(Math.abs(outcome.bias.composite)).toBeLessThan(0.01);
  });
  test('95 % intervals cover the true value 93–97 % of the time, indicators and composites', () => {
    expect(outcome.coverage.indicator).toBeGreaterThanOrEqual(0.93);
    expect(outcome.coverage.indicator).toBeLessThanOrEqual(0.97);
    expect(outcome.coverage.composite).toBeGreaterThanOrEqual(0.93);
    expect(outcome.coverage.composite).toBeLessThanOrEqual(0.97);
  });
});

test('the same Neyman samples scored with one stratum per unit (the band dropped) are biased and under-cover: the checks above can fail', async () => {
  const dropped = await run({ allocation: 'neyman', runs: 40, seed: 3, replicates: 200, byBand: false });
  expect(dropped.bias.indicator).toBeGreaterThan(0.03);
  expect(dropped.coverage.composite).toBeLessThan(0.8);
}, 120_000);
