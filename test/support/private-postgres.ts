import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary folder, its own port), which the test may
 * stop and start — never the shared server on 5432. Needs Debian's postgresql binaries (npm test provisions
 * them when missing: scripts/provision-test-tools.sh); as root, the cluster runs as the `postgres` user.
 */
export interface PrivatePostgres {
  url: string;
  /** The server's own log (what `log_statement` and the like write). */
  logFile: string;
  stop(): void;
  start(): void;
  destroy(): void;
}

function binaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('PostgreSQL server binaries are not installed: apt-get install postgresql — npm test provisions it (scripts/provision-test-tools.sh)');
  return path.join(root, newest, 'bin');
}

/** `settings` are server parameters given at start (`-c name=value`), e.g. what it logs. */
export function startPrivatePostgres(settings: Record<string, string> = {}): PrivatePostgres {
  const bin = binaries();
  const dir = mkdtempSync(path.join(tmpdir(), 'ddci-pg-'));
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()) : undefined;
  if (owner !== undefined) chownSync(dir, owner, Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()));
  const run = (tool: string, args: string[]) => {
    const [command, all] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]] : [path.join(bin, tool), args];
    execFileSync(command, all as string[], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  };
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = 55_000 + Math.floor(Math.random() * 4000);
  const logFile = path.join(dir, 'log');
  const options = Object.entries({ listen_addresses: '127.0.0.1', fsync: 'off', ...settings }).map(([name, value]) => `-c ${name}=${value}`);
  const start = () => run('pg_ctl', ['-D', data, '-l', logFile, '-w', '-o', [`-p ${port} -k ${dir}`, ...options].join(' '), 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    logFile,
    start,
    stop,
    destroy: () => {
      try {
        stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
