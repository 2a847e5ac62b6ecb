/**
 * `npm run bench:estimation`: the estimator's bias and 95 % coverage over many simulated samples, for the
 * designs the sampler offers and each normalisation bounds rule (test/support/estimation-simulation.ts; the
 * unit suite runs a small version). Defaults: 5 frames × 400 samples per allocation, 1,000 bootstrap
 * replicates (the shipped methodology's); the bounds rules on Neyman samples. The figures are those of
 * docs/estimation.md §5.
 */
import { simulate, type SimulationOutcome } from '../support/estimation-simulation.js';

const runs = Number(process.env.RUNS ?? 400);
const replicates = Number(process.env.REPLICATES ?? 1000);
const seeds = (process.env.SEEDS ?? '1,2,3,4,5').split(',').map(Number);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const average = (outcomes: SimulationOutcome[], pick: (o: SimulationOutcome) => number) => outcomes.reduce((a, o) => a + pick(o), 0) / outcomes.length;
console.log(`${seeds.length} frames × ${runs} samples, 8 units of 1,000 businesses (800 small, 200 large), 80 sampled per unit, ${replicates} replicates`);
const line = (name: string, outcomes: SimulationOutcome[], started: number) =>
  console.log(
    `${name.padEnd(22)} bias indicator ${average(outcomes, (o) => o.bias.indicator).toFixed(4)}, composite ${average(outcomes, (o) => o.compositeBiasPoints).toFixed(2)} points` +
      ` · coverage indicator ${pct(average(outcomes, (o) => o.coverage.indicator))}, composite ${pct(average(outcomes, (o) => o.coverage.composite))}` +
      `, rank ${pct(average(outcomes, (o) => o.coverage.rank))} (width ${average(outcomes, (o) => o.rankWidth).toFixed(1)}), change ${pct(average(outcomes, (o) => o.coverage.change ?? Number.NaN))}` +
      ` · per frame composite ${outcomes.map((o) => pct(o.coverage.composite)).join(' ')} · ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
for (const allocation of ['proportional', 'neyman'] as const) {
  const started = performance.now();
  line(`${allocation}, fixed`, seeds.map((seed) => simulate({ allocation, runs, seed, replicates, change: true })), started);
}
for (const bounds of ['observed', 'pooled'] as const) {
  const started = performance.now();
  line(`neyman, ${bounds}`, seeds.map((seed) => simulate({ allocation: 'neyman', runs, seed, replicates, bounds, change: true })), started);
}
const dropped = simulate({ allocation: 'neyman', runs: Math.min(runs, 100), seed: 1, replicates, byBand: false });
console.log(`neyman, band dropped (one stratum per unit): bias ${dropped.bias.indicator.toFixed(4)}, coverage indicator ${pct(dropped.coverage.indicator)}, composite ${pct(dropped.coverage.composite)}`);
