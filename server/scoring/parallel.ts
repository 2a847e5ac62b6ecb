import { availableParallelism } from 'node:os';
import type { Methodology } from '../questionnaires/index.js';
import { startWorker, WorkerChannel } from '../workers.js';
import { planScoring, summarise, unitData, withUnitsRead, type ValueStore } from './engine.js';
import type { BootstrapDraws, BootstrapRequest, PreparedScoring, ScoringInput, ScoringResult, UnitSummary } from './types.js';
import { finishYear, scoreMicrodata, withChanges, yearInput, type AnyMicrodata, type PreviousYear } from './microdata.js';

/**
 * `scoreMicrodata` with the bootstrap replicates shared among worker threads. Each replicate draws from
 * its own seeded stream, so the figures are the same whatever the number of threads.
 */
export async function scoreMicrodataInParallel(microdata: AnyMicrodata, methodology: Methodology, previous?: PreviousYear, threads = Math.min(availableParallelism(), 4)): Promise<ScoringResult> {
  if (threads <= 1 || methodology.bootstrap.replicates < 2) return scoreMicrodata(microdata, methodology, previous);
  const scoreYear = async (m: AnyMicrodata, method: Methodology) => {
    const { input, seed } = yearInput(m, method);
    const { prepared, draws } = await prepareInWorkers(input, seed, threads);
    return finishYear(prepared, draws);
  };
  const before = previous && { year: await scoreYear(previous.microdata, previous.methodology), campaign: previous.microdata.campaign.id };
  return withChanges(microdata, await scoreYear(microdata, methodology), before);
}

/**
 * Reads the units one at a time here (their point estimates) while the threads bootstrap the unit before,
 * each its share of the replicates. The values are written into two slots of shared memory, used in turn
 * (the threads read a unit where it was written, and a slot is written again only once they are done with
 * it): two units' values in memory however many units there are, and no buffer left to each thread's
 * garbage collector (which, allocating little, may not run for the whole bootstrap).
 */
async function prepareInWorkers(input: ScoringInput, seed: number, threads: number): Promise<{ prepared: PreparedScoring; draws: BootstrapDraws }> {
  const replicates = input.methodology.bootstrap.replicates;
  const per = Math.ceil(replicates / threads);
  const ranges = Array.from({ length: threads }, (_, i) => [i * per, Math.min(replicates, (i + 1) * per)] as const).filter(([from, to]) => from < to);
  const workers = ranges.map(([from, to]) => new WorkerChannel<BootstrapRequest, BootstrapDraws | null>(startWorker(import.meta.url, 'bootstrap-worker', { workerData: { seed, from, to } })));
  try {
    const plan = planScoring(input);
    const slots = [new SharedSlot(), new SharedSlot()];
    let turn = 0;
    const units: UnitSummary[][] = [];
    let inFlight: Promise<unknown> = Promise.resolve();
    for (const [b, t] of plan.blocks.entries()) {
      units[b] = [];
      for (const code of t.units) {
        const unit = unitData(input, t, code, slots[turn++ % 2]!.store);
        units[b].push(summarise(unit, t.indicators.length));
        await inFlight;
        inFlight = Promise.all(workers.map((w) => w.request({ block: b, units: t.units.length, K: t.indicators.length, unit })));
      }
    }
    await inFlight;
    const prepared = withUnitsRead(plan, units);
    const parts = (await Promise.all(workers.map((w) => w.request({ prepared })))) as BootstrapDraws[];
    return { prepared, draws: Object.fromEntries(prepared.blocks.map(({ block }) => [block.code, parts.flatMap((p) => p[block.code] ?? [])])) };
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
}

/** Shared memory that one unit's values are written into, grown when a unit needs more (see prepareInWorkers). */
class SharedSlot {
  private values: Float64Array = new Float64Array(0);
  private valid: Uint8Array = new Uint8Array(0);

  readonly store: ValueStore = (cells) => {
    if (cells > this.valid.length) {
      this.values = new Float64Array(new SharedArrayBuffer(cells * Float64Array.BYTES_PER_ELEMENT));
      this.valid = new Uint8Array(new SharedArrayBuffer(cells));
    }
    const values = this.values.subarray(0, cells);
    const valid = this.valid.subarray(0, cells);
    values.fill(0);
    valid.fill(0);
    return { values, valid };
  };
}
