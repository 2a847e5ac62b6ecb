import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
import { openDatabase, type Database } from '../../server/db/client.js';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new database on the
 * PostgreSQL server named by TEST_DATABASE_URL (created here, dropped on close).
 */
export interface TestDatabase extends Database {
  /** Environment that points the CLI (or another instance) at this same database. */
  env: Record<string, string>;
}

const serverUrl = process.env.TEST_DATABASE_URL;

export const onServer = Boolean(serverUrl);

/** `migrate: false` leaves the database empty, for a test that replays an older schema first. */
export async function freshDatabase(options: { onDisk?: boolean; migrate?: boolean } = {}): Promise<TestDatabase> {
  if (serverUrl) return freshServerDatabase(serverUrl, options.migrate ?? true);
  const dataDir = options.onDisk ? mkdtempSync(path.join(tmpdir(), 'ddci-test-')) : undefined;
  const database = await openDatabase({ dataDir });
  if (options.migrate ?? true) await database.migrate();
  return { ...database, env: dataDir ? { DATA_DIR: dataDir } : {} };
}

/**
 * A benchmark's database, migrated: a new database on the PostgreSQL server named by BENCH_DATABASE_URL
 * (dropped on close), else embedded PGlite in `dataDir`.
 */
export async function benchDatabase(dataDir: string): Promise<TestDatabase> {
  const server = process.env.BENCH_DATABASE_URL;
  if (server) return freshServerDatabase(server, true);
  const database = await openDatabase({ dataDir });
  await database.migrate();
  return { ...database, env: { DATA_DIR: dataDir } };
}

async function freshServerDatabase(url: string, migrate: boolean): Promise<TestDatabase> {
  const name = `ddci_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = '/' + name;
  const database = await openDatabase({ url: dbUrl.toString() });
  if (migrate) await database.migrate();
  return {
    ...database,
    env: { DATABASE_URL: dbUrl.toString() },
    close: async () => {
      await database.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      // Without FORCE: closed connections may still be exiting on the server; wait for them rather than kill them.
      for (let attempt = 0; ; attempt++) {
        try {
          await cleanup.query(`drop database if exists ${name}`);
          break;
        } catch (error) {
          if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await cleanup.end();
    },
  };
}

/** Rows of a raw query: node-postgres and PGlite both answer `{ rows }`, which Drizzle's shared type leaves unknown. */
export async function queryRows<T>(db: Database['db'], query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Every public table as text, one dump per table: for checking that something is stored nowhere. */
export async function tableDumps(db: Database['db']): Promise<{ table: string; text: string }[]> {
  const tables = await queryRows<{ table_name: string }>(db, sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`);
  const dumps: { table: string; text: string }[] = [];
  for (const { table_name } of tables) {
    const rows = await queryRows<{ row: string }>(db, sql.raw(`select t::text as row from "${table_name}" t`));
    dumps.push({ table: table_name, text: rows.map((r) => r.row).join('\n') });
  }
  return dumps;
}

/** Every file of an embedded database's data directory, after a checkpoint has written the pages out. */
export async function databaseFiles(database: TestDatabase): Promise<{ file: string; bytes: Buffer }[]> {
  await database.db.execute(sql`checkpoint`);
  const files: { file: string; bytes: Buffer }[] = [];
  const walk = (dir: string) =>
    readdirSync(dir).forEach((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.push({ file: full, bytes: readFileSync(full) });
    });
  walk(database.env.DATA_DIR!);
  return files;
}
