import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A scratch folder for files R reads. */
export const rDirectory = () => mkdtempSync(path.join(tmpdir(), 'ddci-r-'));

/** Runs an R script in `dir` (UTF-8 locale) and returns what it printed. Needs Debian's r-base-core (npm test provisions it: scripts/provision-test-tools.sh). */
export function rscript(dir: string, script: string): string {
  const file = path.join(dir, `script-${Math.random().toString(36).slice(2)}.R`);
  writeFileSync(file, script);
  try {
    return execFileSync('Rscript', ['--vanilla', file], { cwd: dir, encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (error) {
    const e = error as { code?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error('Rscript is not installed: apt-get install r-base-core r-cran-survey r-cran-haven — npm test provisions it (scripts/provision-test-tools.sh)');
    throw new Error(`R failed:\n${e.stderr ?? String(error)}`);
  }
}
