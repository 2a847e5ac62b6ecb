/**
 * `npm run bench:estimation`: the estimator's bias and 95 % coverage over many simulated samples, for the
 * designs the sampler offers (test/support/estimation-simulation.ts; the unit suite runs a small version).
 * Defaults: 5 frames × 400 samples per allocation, 1,000 bootstrap replicates (the shipped methodology's).
 */
import { simulate } from '../support/estimation-simulation.js';

const runs = Number(process.env.RUNS ?? 400);
const replicates = Number(process.env.REPLICATES ?? 1000);
const seeds = [1, 2, 3, 4, 5];
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
console.log(`${seeds.length} frames × ${runs} samples, 8 units of 1,000 businesses (800 small, 200 large), 80 sampled per unit, ${replicates} replicates`);
for (const allocation of ['proportional', 'neyman'] as const) {
  const started = performance.now();
  const outcomes = seeds.map((seed) => simulate({ allocation, runs, seed, replicates }));
  const mean = (pick: (o: (typeof outcomes)[number]) => number) => outcomes.reduce((a, o) => a + pick(o), 0) / outcomes.length;
  console.log(
    `${allocation.padEnd(12)} bias indicator ${mean((o) => o.bias.indicator).toFixed(4)}, composite ${mean((o) => o.bias.composite).toFixed(4)} (relative)` +
      ` · coverage indicator ${pct(mean((o) => o.coverage.indicator))}, composite ${pct(mean((o) => o.coverage.composite))}` +
      ` · per frame composite ${outcomes.map((o) => pct(o.coverage.composite)).join(' ')} · ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}
const dropped = simulate({ allocation: 'neyman', runs: Math.min(runs, 100), seed: 1, replicates, byBand: false });
console.log(`neyman, band dropped (one stratum per unit): bias ${dropped.bias.indicator.toFixed(4)}, coverage indicator ${pct(dropped.coverage.indicator)}, composite ${pct(dropped.coverage.composite)}`);
