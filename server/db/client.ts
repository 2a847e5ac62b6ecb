import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgPreparedQuery, type PgQueryResultHKT, type PreparedQueryConfig } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { fromRoot } from '../paths.js';
import { claimEmbedded } from './owner.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** A database handle or an open transaction: services take either, so they compose inside one transaction. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Applies pending migrations (of `folder`: tests replay an older schema); safe when several instances start at once on one server. */
  migrate(folder?: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = fromRoot('server', 'db', 'migrations');
/** Connections an instance keeps to a PostgreSQL server. */
export const POOL_SIZE = 10;
// Any constant shared by every instance: serialises concurrent migrations on a PostgreSQL server.
const MIGRATION_LOCK = 727_001;

/**
 * A statement on a hot path, compiled once and prepared under `name` on each connection that runs it (the
 * server parses and plans it once per connection, not per call): its values fill the statement's
 * `sql.placeholder(...)`s on each run, on a database handle or inside a transaction alike.
 */
export function hotStatement<Row>(name: string, statement: SQL): (db: Db, values: Record<string, unknown>) => Promise<Row[]> {
  const query = new PgDialect().sqlToQuery(statement);
  const prepared = new WeakMap<object, PgPreparedQuery<PreparedQueryConfig>>();
  return async (db, values) => {
    const { session } = db._;
    let statementOf = prepared.get(session);
    if (!statementOf) prepared.set(session, (statementOf = session.prepareQuery(query, undefined, name, false)));
    return ((await statementOf.execute(values)) as { rows: Row[] }).rows;
  };
}

export interface DatabaseOptions {
  /** postgres:// URL of a server; when absent an embedded PGlite database is used. */
  url?: string | undefined;
  /** Folder for the embedded database; absent means in memory (tests). */
  dataDir?: string | undefined;
  /** Told when the server drops an idle pooled connection. */
  onIdleError?: (error: Error) => void;
}

/**
 * Whether an error says the database cannot be reached right now (down, restarting, failing over, out of
 * connections, or the embedded one closed) — as opposed to a query that is wrong. Such a request is worth
 * retrying later: the HTTP layer answers 503 with Retry-After.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Drizzle wraps the driver's error as `cause`.
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    // Node socket errors, and SQLSTATE classes 08 (connection exception), 57P (operator intervention), 53300 (too many connections).
    if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|08...|57P0[1-4]|53300)$/.test(code)) return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (/Connection terminated|timeout exceeded when trying to connect|PGlite is closed|Cannot use a pool after calling end|Client has encountered a connection error/i.test(message)) return true;
  }
  return false;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openServer(options.url, options.onIdleError ?? (() => undefined)) : openEmbedded(options.dataDir);
}

// PGlite's own bytea conversions go byte by byte through parseInt and string padding: 144 µs to read one
// 700-byte envelope, 14 s for a campaign's 100,000. Through Buffer's hex codec instead: ~10 µs.
const BYTEA = 17;
const parseBytea = (text: string) => Buffer.from(text.slice(2), 'hex');
const serializeBytea = (value: Uint8Array) => `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;

async function openEmbedded(dataDir: string | undefined): Promise<Database> {
  let location: string | undefined;
  let release = () => undefined as void;
  if (dataDir) {
    location = path.join(dataDir, 'pgdata');
    mkdirSync(location, { recursive: true });
    release = claimEmbedded(dataDir);
  }
  const client = new PGlite(location, { parsers: { [BYTEA]: parseBytea }, serializers: { [BYTEA]: serializeBytea } });
  try {
    await client.waitReady;
  } catch (error) {
    release();
    throw error;
  }
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    migrate: (folder = migrationsFolder) => migratePglite(drizzlePglite({ client, schema }), { migrationsFolder: folder }),
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      await client.close();
      release();
    },
  };
}

async function openServer(url: string, onIdleError: (error: Error) => void): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, connectionTimeoutMillis: 5000 });
  // An idle connection dropped by the server (restart, failover) must not crash the process: the pool
  // replaces it, and requests meanwhile fail with a 500/503 instead.
  pool.on('error', onIdleError);
  const db = drizzlePg({ client: pool, schema });
  await pool.query('select 1'); // fail fast with the driver's own message when unreachable
  return {
    db: db as unknown as Db,
    kind: 'postgres',
    migrate: async (folder = migrationsFolder) => {
      const lockClient = await pool.connect();
      try {
        await lockClient.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migratePg(db, { migrationsFolder: folder });
      } finally {
        await lockClient.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
        lockClient.release();
      }
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => pool.end(),
  };
}
