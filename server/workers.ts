import { Worker, type Transferable, type WorkerOptions } from 'node:worker_threads';

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

/**
 * A worker thread that answers each request with one message, in the order asked: replies are matched to
 * requests first in, first out. If the thread fails or ends, every request still waiting is rejected
 * (with `ended()` when it ends).
 */
export class WorkerChannel<Request, Reply> {
  private readonly waiting: { resolve: (reply: Reply) => void; reject: (error: unknown) => void }[] = [];

  constructor(
    private readonly worker: Worker,
    ended: () => Error = () => new Error('the worker thread ended'),
  ) {
    worker.on('message', (reply: Reply) => this.waiting.shift()?.resolve(reply));
    const fail = (error: unknown) => this.waiting.splice(0).forEach((w) => w.reject(error));
    worker.on('error', fail);
    worker.on('exit', () => fail(ended()));
  }

  request(message: Request, transfer: readonly Transferable[] = []): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(message, transfer as Transferable[]);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
