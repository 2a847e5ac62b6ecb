import { readFileSync, writeFileSync } from 'node:fs';

/**
 * This process's own peak resident memory, its threads included: Linux's VmHWM. Not getrusage's maxRSS,
 * which a spawned process inherits from its parent at the fork (the unseal benchmark's parent, having
 * sealed a million responses, reported its own 4.5 GiB through it).
 */
export function peakResidentMiB(): number {
  const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  if (!hwm) throw new Error('no VmHWM in /proc/self/status: the benchmarks measure peak memory on Linux');
  return Number(hwm) / 1024;
}

/**
 * Starts the peak over from what is resident now (Linux ≥ 4.0), so a step's peak is its own — after a full
 * collection when the benchmark runs with --expose-gc, so the garbage of the step before is not counted.
 */
export function resetPeakResident(): void {
  (globalThis as { gc?: () => void }).gc?.();
  writeFileSync('/proc/self/clear_refs', '5');
}
