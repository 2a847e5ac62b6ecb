import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread running the module `name` beside the caller (`callerUrl`: its import.meta.url).
 * Compiled, the worker is a sibling .js file; run from the TypeScript sources (tests, benchmarks), the
 * worker first registers tsx's loader (a development dependency) and then imports the .ts file.
 */
export function startWorker(callerUrl: string, name: string, options: WorkerOptions): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const source = JSON.stringify(new URL(`./${name}.ts`, callerUrl).href);
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${source}); })`, { ...options, eval: true });
}
