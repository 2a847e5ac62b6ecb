import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { whileClaimed } from './owner.js';
import type { SecretCheckValues } from './secret-checks.js';

/**
 * Whole-database backups, in each kind's own format: the embedded database as PGlite's data-directory
 * archive (gzipped tar), a PostgreSQL server as `pg_dump --format=custom`. A backup holds what the
 * database holds — sealed envelopes, sealed shares, the audit chain — and no server secret: keep
 * `HMAC_SECRET` (access codes, the mixing layer, approvals) and `SESSION_SECRET` apart from it.
 */
export type BackupKind = 'pglite' | 'postgres';

export class BackupError extends Error {}

const run = promisify(execFile);
const PG_DUMP_MAGIC = Buffer.from('PGDMP');
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/** Where the embedded database of DATA_DIR lives (as db/client.ts opens it). */
const embeddedDir = (dataDir: string) => path.join(dataDir, 'pgdata');

export interface Target {
  url?: string | undefined;
  dataDir: string;
}

/** Writes a backup of the database `target` names to `file`; the embedded database must not be open elsewhere. */
export async function backupDatabase(target: Target, file: string): Promise<BackupKind> {
  if (target.url) {
    await tool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${target.url}`]);
    return 'postgres';
  }
  const dir = embeddedDir(target.dataDir);
  if (!existsSync(dir) || readdirSync(dir).length === 0) throw new BackupError(`no embedded database in ${target.dataDir} to back up`);
  await whileClaimed(target.dataDir, async () => {
    const client = new PGlite(dir);
    try {
      await client.waitReady;
      await client.query('checkpoint');
      const archive = await client.dumpDataDir('gzip');
      writeFileSync(file, Buffer.from(await archive.arrayBuffer()));
    } finally {
      await client.close();
    }
  });
  return 'pglite';
}

/** Which kind of database a backup file came from, by its first bytes. */
export function backupKindOf(file: string): BackupKind {
  const head = Buffer.alloc(5);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.equals(PG_DUMP_MAGIC)) return 'postgres';
  if (head.subarray(0, 2).equals(GZIP_MAGIC)) return 'pglite';
  throw new BackupError(`${file} is not a DDCI backup (neither a pg_dump archive nor an embedded-database archive)`);
}

/**
 * Restores `file` into the database `target` names, which must be empty: a new database on the server,
 * or a DATA_DIR without an embedded database. The caller migrates and verifies afterwards.
 */
export async function restoreDatabase(target: Target, file: string): Promise<BackupKind> {
  const kind = backupKindOf(file);
  const into: BackupKind = target.url ? 'postgres' : 'pglite';
  if (kind !== into) {
    throw new BackupError(
      kind === 'pglite'
        ? 'this backup is of an embedded database: restore it with DATABASE_URL unset and DATA_DIR naming a new folder'
        : 'this backup is of a PostgreSQL server (pg_dump): restore it with DATABASE_URL naming a new, empty database',
    );
  }
  if (target.url) {
    if (!(await serverDatabaseEmpty(target.url))) throw new BackupError('the target database is not empty: create a new one (createdb) and restore into it');
    await tool('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${target.url}`, file]);
    return kind;
  }
  const dir = embeddedDir(target.dataDir);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new BackupError(`${target.dataDir} already holds a database: restore into a new DATA_DIR`);
  mkdirSync(dir, { recursive: true });
  await whileClaimed(target.dataDir, async () => {
    const client = new PGlite(dir, { loadDataDir: new Blob([readFileSync(file)]) });
    await client.waitReady;
    await client.close();
  });
  return kind;
}

/**
 * The secrets' check values inside a backup (server/db/secret-checks.ts), read without restoring it: from
 * the pg_dump archive's table data, or from the embedded archive opened in memory. Null for a backup made
 * before the checks existed.
 */
export async function backupSecretChecks(file: string): Promise<SecretCheckValues | null> {
  if (backupKindOf(file) === 'postgres') {
    const { stdout } = await tool('pg_restore', ['--data-only', '--table=secret_checks', '--file=-', file]);
    const copy = /^COPY \S*secret_checks \(([^)]*)\) FROM stdin;\n([\s\S]*?)^\\\.$/m.exec(stdout);
    if (!copy) return null;
    const columns = copy[1]!.split(',').map((c) => c.trim().replace(/"/g, ''));
    const [name, value] = [columns.indexOf('name'), columns.indexOf('value')];
    return Object.fromEntries(copy[2]!.split('\n').filter(Boolean).map((line) => line.split('\t')).map((cells) => [cells[name]!, cells[value]!]));
  }
  const client = new PGlite({ loadDataDir: new Blob([readFileSync(file)]) });
  try {
    await client.waitReady;
    const found = await client.query<{ n: number }>(`select count(*)::int as n from information_schema.tables where table_name = 'secret_checks'`);
    if (!found.rows[0]!.n) return null;
    return Object.fromEntries((await client.query<{ name: string; value: string }>('select name, value from secret_checks')).rows.map((r) => [r.name, r.value]));
  } finally {
    await client.close();
  }
}

async function serverDatabaseEmpty(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')`);
    return rows[0]!.n === 0;
  } finally {
    await client.end();
  }
}

/** Runs a PostgreSQL client tool; its own message (never the URL) when it fails. */
async function tool(name: string, args: string[]): Promise<{ stdout: string }> {
  try {
    return await run(name, args, { maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' });
  } catch (error) {
    const e = error as { code?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new BackupError(`${name} is not installed: apt-get install postgresql-client (the same major version as the server)`);
    throw new BackupError(`${name} failed: ${(e.stderr ?? '').trim().replace(/postgres(ql)?:\/\/\S+/g, '<database>')}`);
  }
}
