import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The embedded database belongs to one process (PGlite has no server to arbitrate): whoever opens a data
 * directory writes its pid beside it, and another live process is refused instead of corrupting it — the
 * app while `ddci backup` or `ddci migrate` holds it, or the reverse. A pid left by a process that died is
 * taken over.
 */
export class DatabaseBusyError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`the embedded database in ${dir} is open in another process (pid ${pid}): stop it first (the app, or a running ddci command)`);
    this.name = 'DatabaseBusyError';
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
};

/** Claims `dir` for this process; returns the release. */
export function claimEmbedded(dir: string): () => void {
  const file = path.join(dir, 'owner.pid');
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8').trim());
      // This process may open its own directory again (tests, the CLI inside the app's process).
      if (pid === process.pid) return () => undefined;
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new DatabaseBusyError(dir, pid);
      rmSync(file, { force: true }); // left by a process that died
    }
  }
}

/** Runs `work` with `dir` claimed, released however it ends. */
export async function whileClaimed<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const release = claimEmbedded(dir);
  try {
    return await work();
  } finally {
    release();
  }
}
